package dev.iotdr.onboarding.devices.adapter.out.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.onboarding.devices.domain.SealedSecret;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AesGcmPrivateKeySealerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private final AesGcmPrivateKeySealer sealer = new AesGcmPrivateKeySealer("k1", KEY);

    @Property(tries = 100)
    void whatIsSealedOpensWithTheSameContext(@ForAll String secret, @ForAll String context) {
        assertThat(sealer.unseal(sealer.seal(secret, context), context)).isEqualTo(secret);
    }

    @Test
    void theCiphertextRevealsNothingAndDiffersEachTime() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        SealedSecret first = sealer.seal(key, "ctx");
        SealedSecret second = sealer.seal(key, "ctx");
        assertThat(first.ciphertext()).doesNotContain("PRIVATE").doesNotContain("MIIEowIBAAKCAQEA");
        assertThat(new String(Base64.getDecoder().decode(first.ciphertext()))).doesNotContain("PRIVATE");
        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        assertThat(first.toString()).doesNotContain(first.ciphertext());
    }

    @Test
    void anotherContextOrKeyDoesNotOpenIt() {
        SealedSecret sealed = sealer.seal("secret", "request-a|device-1");
        assertThatThrownBy(() -> sealer.unseal(sealed, "request-b|device-1")).hasMessageContaining("does not open");
        AesGcmPrivateKeySealer other = new AesGcmPrivateKeySealer("k1", "fedcba9876543210fedcba9876543210".getBytes());
        assertThatThrownBy(() -> other.unseal(sealed, "request-a|device-1")).hasMessageContaining("does not open");
        AesGcmPrivateKeySealer rotated = new AesGcmPrivateKeySealer("k2", KEY);
        assertThatThrownBy(() -> rotated.unseal(sealed, "request-a|device-1"))
                .hasMessageContaining("sealed with key k1");
    }

    @Test
    void aKeyOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> new AesGcmPrivateKeySealer("k", new byte[20]))
                .hasMessageContaining("16, 24 or 32 bytes");
        assertThatThrownBy(() -> AesGcmPrivateKeySealer.fromBase64("k", "not base64!"))
                .hasMessageContaining("base64");
    }
}
