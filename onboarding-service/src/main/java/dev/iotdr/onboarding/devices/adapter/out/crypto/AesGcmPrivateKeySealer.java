package dev.iotdr.onboarding.devices.adapter.out.crypto;

import dev.iotdr.onboarding.devices.application.PrivateKeySealer;
import dev.iotdr.onboarding.devices.domain.SealedSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link PrivateKeySealer} with AES-GCM (JDK): a fresh 96-bit nonce per seal, a 128-bit tag, the context as
 * associated data so a ciphertext only opens for the request it was sealed for. The key comes from
 * configuration here; in AWS the same port would be served by KMS (envelope encryption), which this
 * project does not ship yet.
 */
public final class AesGcmPrivateKeySealer implements PrivateKeySealer {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String keyId;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public AesGcmPrivateKeySealer(String keyId, byte[] keyBytes) {
        if (keyBytes.length != 16 && keyBytes.length != 24 && keyBytes.length != 32) {
            throw new IllegalArgumentException(
                    "the private-key encryption key must be 16, 24 or 32 bytes, was " + keyBytes.length);
        }
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("the private-key encryption key needs an id");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(keyBytes.clone(), "AES");
    }

    /** Reads a base64 key from configuration. */
    public static AesGcmPrivateKeySealer fromBase64(String keyId, String base64Key) {
        try {
            return new AesGcmPrivateKeySealer(keyId, Base64.getDecoder().decode(base64Key.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iotdr.onboarding.private-key-encryption-key must be base64 of 16, "
                    + "24 or 32 random bytes: " + e.getMessage());
        }
    }

    @Override
    public SealedSecret seal(String privateKeyPem, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(privateKeyPem.getBytes(StandardCharsets.UTF_8));
            return new SealedSecret(
                    keyId,
                    Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override
    public String unseal(SealedSecret sealed, String context) {
        if (!sealed.keyId().equals(keyId)) {
            throw new IllegalStateException(
                    "secret was sealed with key " + sealed.keyId() + ", this service has " + keyId);
        }
        byte[] all = Base64.getDecoder().decode(sealed.ciphertext());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed secret does not open with this key and context", e);
        }
    }
}
