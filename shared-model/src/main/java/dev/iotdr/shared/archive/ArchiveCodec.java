package dev.iotdr.shared.archive;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The telemetry archive's object format, written once here for the writer (telemetry ingest), the verifier and
 * the restore: records as JSON lines, compressed with Zstandard, then encrypted client-side with AES-256-GCM under a
 * data key of its own (envelope encryption: the data key is kept only encrypted by KMS, beside the object), so an
 * object holds no plaintext telemetry; a SHA-256 of the stored bytes is what the manifest lists and what every
 * read checks first.
 *
 * <p>Layout of the stored bytes: the magic {@code IOTDRA1\n}, a 12-byte nonce, then the GCM ciphertext of the
 * compressed lines with its 16-byte tag. The object's key, its record count and its encrypted data key are
 * bound into the tag as associated data, so an object moved to another key, or given another key's data key,
 * fails to open.
 *
 * <p>Zstandard (the reference implementation, through zstd-jni) rather than gzip: on sensor telemetry it
 * compresses smaller and faster (measured: {@code ./drctl bench archive-codec}, bench/RESULTS.md).
 */
public final class ArchiveCodec {
    private static final byte[] MAGIC = "IOTDRA1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int LEVEL = 9;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ArchiveCodec() {}

    /** A data key as KMS hands it out: the plaintext (used once, then wiped) and its KMS-encrypted form. */
    public record DataKey(byte[] plaintext, byte[] encrypted, String keyId) {}

    /** What an object holds and what its manifest entry says of it. */
    public record Sealed(byte[] bytes, String sha256, int records, long plaintextBytes, byte[] encryptedDataKey) {}

    /** Not the object the manifest names: changed bytes, another key's data key, or another object's place. */
    public static final class TamperedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TamperedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Seals {@code lines} (one JSON record each, no newlines inside) for {@code objectKey} with {@code dataKey},
     * whose plaintext is wiped when this returns.
     */
    public static Sealed seal(String objectKey, List<String> lines, DataKey dataKey) {
        for (String line : lines) {
            if (line.isEmpty() || line.indexOf('\n') >= 0) {
                Arrays.fill(dataKey.plaintext(), (byte) 0);
                throw new IllegalArgumentException("a record must be one non-empty line (compact JSON)");
            }
        }
        byte[] plain = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] compressed = Zstd.compress(plain, LEVEL);
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(dataKey.plaintext(), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(associated(objectKey, lines.size(), dataKey.encrypted()));
            byte[] ciphertext = gcm.doFinal(compressed);
            byte[] stored = ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + ciphertext.length)
                    .put(MAGIC)
                    .put(nonce)
                    .put(ciphertext)
                    .array();
            return new Sealed(stored, sha256(stored), lines.size(), plain.length, dataKey.encrypted());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey.plaintext(), (byte) 0);
        }
    }

    /**
     * Opens an object: its SHA-256 must be {@code expectedSha256} (the manifest's), then it is decrypted with the
     * data key (plaintext, wiped when this returns) and decompressed; the record count must be {@code records}.
     *
     * @throws TamperedException when any of that does not hold
     */
    public static List<String> open(
            String objectKey,
            byte[] stored,
            String expectedSha256,
            int records,
            byte[] plaintextDataKey,
            byte[] encryptedDataKey) {
        try {
            if (!sha256(stored).equals(expectedSha256)) {
                throw new TamperedException(objectKey + ": SHA-256 is not the manifest's", null);
            }
            if (stored.length < MAGIC.length + NONCE_BYTES
                    || !Arrays.equals(Arrays.copyOf(stored, MAGIC.length), MAGIC)) {
                throw new TamperedException(objectKey + ": not an archive object", null);
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(plaintextDataKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, stored, MAGIC.length, NONCE_BYTES));
            gcm.updateAAD(associated(objectKey, records, encryptedDataKey));
            byte[] compressed =
                    gcm.doFinal(stored, MAGIC.length + NONCE_BYTES, stored.length - MAGIC.length - NONCE_BYTES);
            long size = Zstd.getFrameContentSize(compressed);
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new TamperedException(objectKey + ": no readable content size", null);
            }
            String text = new String(Zstd.decompress(compressed, (int) size), StandardCharsets.UTF_8);
            List<String> lines = text.isEmpty() ? List.of() : new ArrayList<>(List.of(text.split("\n", -1)));
            if (lines.size() != records) {
                throw new TamperedException(
                        objectKey + ": holds " + lines.size() + " records, the manifest says " + records, null);
            }
            return lines;
        } catch (javax.crypto.AEADBadTagException wrongKeyOrChanged) {
            throw new TamperedException(
                    objectKey + ": does not open with its data key (changed, moved or another key)", wrongKeyOrChanged);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(plaintextDataKey, (byte) 0);
        }
    }

    /** The hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] associated(String objectKey, int records, byte[] encryptedDataKey) {
        byte[] key = objectKey.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + key.length + 4 + 4 + encryptedDataKey.length)
                .putInt(key.length)
                .put(key)
                .putInt(records)
                .putInt(encryptedDataKey.length)
                .put(encryptedDataKey)
                .array();
    }
}
