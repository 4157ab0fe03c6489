package dev.iotdr.onboarding.devices.adapter.out.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.iotdr.onboarding.devices.domain.SealedSecret;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class AesGcmPrivateKeySealerTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private final AesGcmPrivateKeySealer sealer = new AesGcmPrivateKeySealer("k1", KEY);

    /**
     * Every UTF-16 character of the Basic Multilingual Plane except surrogates, private-use characters and
     * noncharacters.
     */
    private static final String TEXT_CHARS = IntStream.rangeClosed(Character.MIN_VALUE, Character.MAX_VALUE)
            .filter(c -> !Character.isSurrogate((char) c))
            .filter(c -> c < 0xE000 || c > 0xF8FF) // private use
            .filter(c -> (c < 0xFDD0 || c > 0xFDEF) && c != 0xFFFE && c != 0xFFFF) // noncharacters
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();

    @Test
    void whatIsSealedOpensWithTheSameContext() {
        qt().withExamples(100).forAll(texts(0, 255), texts(0, 255)).checkAssert((secret, context) -> assertThat(
                        sealer.unseal(sealer.seal(secret, context), context))
                .isEqualTo(secret));
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

    /** Any text (see {@link #TEXT_CHARS}) of {@code minLength} to {@code maxLength} characters. */
    private static Gen<String> texts(int minLength, int maxLength) {
        Gen<Character> characters =
                integers().between(0, TEXT_CHARS.length() - 1).map(TEXT_CHARS::charAt);
        return lists().of(characters).ofSizeBetween(minLength, maxLength).map(AesGcmPrivateKeySealerTest::join);
    }

    private static String join(List<Character> characters) {
        StringBuilder text = new StringBuilder(characters.size());
        characters.forEach(text::append);
        return text.toString();
    }
}
