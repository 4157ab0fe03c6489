package dev.iotdr.shared.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.shared.archive.ArchiveCodec.DataKey;
import dev.iotdr.shared.archive.ArchiveCodec.Sealed;
import dev.iotdr.shared.archive.ArchiveCodec.TamperedException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ArchiveCodecTest {
    private static final String KEY = "telemetry/us-east-1/dt=2026-12-06/hour=11/1765018800000-a.jsonl.zst.enc";
    private static final List<String> LINES = IntStream.range(0, 200)
            .mapToObj(n -> "{\"thingName\":\"boiler-" + (n % 7) + "\",\"messageId\":\"m-" + n + "\",\"seq\":" + n
                    + ",\"ts\":" + (1765018800000L + n * 5000L)
                    + ",\"metrics\":{\"furnaceTemperature\":" + (20 + n % 9) + ".25,\"site\":\"plant-north\"}}")
            .toList();

    private final byte[] plaintextKey = randomKey();
    private final byte[] encryptedKey = "kms-encrypted-data-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatIsSealedOpensToTheSameRecordsWithItsDataKey() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());

        assertThat(sealed.records()).isEqualTo(LINES.size());
        assertThat(sealed.sha256()).isEqualTo(ArchiveCodec.sha256(sealed.bytes()));
        assertThat(ArchiveCodec.open(KEY, sealed.bytes(), sealed.sha256(), 200, plaintextKey.clone(), encryptedKey))
                .isEqualTo(LINES);
    }

    @Test
    void theStoredBytesHoldNoPlaintextTelemetryAndAreSmallerThanIt() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());
        String stored = new String(sealed.bytes(), StandardCharsets.ISO_8859_1);

        for (String text : List.of("boiler-", "furnaceTemperature", "plant-north", "messageId", "m-17")) {
            assertThat(stored).doesNotContain(text);
        }
        assertThat((long) sealed.bytes().length).isLessThan(sealed.plaintextBytes());
    }

    @Test
    void theDataKeysPlaintextIsWipedOnceSealed() {
        DataKey key = dataKey();

        ArchiveCodec.seal(KEY, LINES, key);

        assertThat(key.plaintext()).containsOnly((byte) 0);
    }

    @Test
    void aChangedByteFailsTheManifestsChecksum() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());
        byte[] changed = sealed.bytes().clone();
        changed[changed.length / 2] ^= 1;

        assertThatThrownBy(
                        () -> ArchiveCodec.open(KEY, changed, sealed.sha256(), 200, plaintextKey.clone(), encryptedKey))
                .isInstanceOf(TamperedException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void aChangedByteWithARecomputedChecksumStillDoesNotOpen() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());
        byte[] changed = sealed.bytes().clone();
        changed[changed.length / 2] ^= 1;

        assertThatThrownBy(() -> ArchiveCodec.open(
                        KEY, changed, ArchiveCodec.sha256(changed), 200, plaintextKey.clone(), encryptedKey))
                .isInstanceOf(TamperedException.class)
                .hasMessageContaining("does not open");
    }

    @Test
    void anObjectMovedToAnotherKeyOrGivenAnotherCountDoesNotOpen() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());

        assertThatThrownBy(() -> ArchiveCodec.open(
                        KEY.replace("hour=11", "hour=12"),
                        sealed.bytes(),
                        sealed.sha256(),
                        200,
                        plaintextKey.clone(),
                        encryptedKey))
                .isInstanceOf(TamperedException.class);
        assertThatThrownBy(() -> ArchiveCodec.open(
                        KEY, sealed.bytes(), sealed.sha256(), 199, plaintextKey.clone(), encryptedKey))
                .isInstanceOf(TamperedException.class);
    }

    @Test
    void anotherDataKeyDoesNotOpenIt() {
        Sealed sealed = ArchiveCodec.seal(KEY, LINES, dataKey());

        assertThatThrownBy(
                        () -> ArchiveCodec.open(KEY, sealed.bytes(), sealed.sha256(), 200, randomKey(), encryptedKey))
                .isInstanceOf(TamperedException.class);
    }

    @Test
    void aRecordThatIsNotOneLineIsRefused() {
        assertThatThrownBy(() -> ArchiveCodec.seal(KEY, List.of("{\"a\":1}", "{\"b\":\n2}"), dataKey()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveCodec.seal(KEY, List.of(""), dataKey()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private DataKey dataKey() {
        return new DataKey(plaintextKey.clone(), encryptedKey, "alias/iotdr-archive");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        assertThat(Arrays.equals(key, new byte[32])).isFalse();
        return key;
    }
}
