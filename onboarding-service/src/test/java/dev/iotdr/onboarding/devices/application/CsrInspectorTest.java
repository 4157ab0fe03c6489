package dev.iotdr.onboarding.devices.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.onboarding.devices.application.Problems.InvalidCsr;
import dev.iotdr.onboarding.support.TestCsrs;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class CsrInspectorTest {
    private final CsrInspector inspector = new CsrInspector();

    @Test
    void aSelfSignedP256OrRsa2048RequestIsAccepted() {
        assertThat(inspector.inspect(TestCsrs.ecP256("d1"))).isInstanceOf(ECPublicKey.class);
        assertThat(inspector.inspect(TestCsrs.rsa(2048, "d1"))).isInstanceOf(RSAPublicKey.class);
    }

    @Test
    void aRequestWhoseSignatureDoesNotVerifyIsRefused() {
        assertThatThrownBy(() -> inspector.inspect(TestCsrs.tampered("d1")))
                .isInstanceOf(InvalidCsr.class)
                .hasMessageContaining("signature");
    }

    @Test
    void aWeakKeyIsRefused() {
        assertThatThrownBy(() -> inspector.inspect(TestCsrs.rsa(1024, "d1")))
                .isInstanceOf(InvalidCsr.class)
                .hasMessageContaining("1024 bits");
    }

    @Test
    void somethingElseThanOneCertificateRequestIsRefused() {
        assertThatThrownBy(() -> inspector.inspect("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> inspector.inspect("hello")).isInstanceOf(InvalidCsr.class);
        assertThatThrownBy(() -> inspector.inspect(TestCsrs.ecP256("a") + TestCsrs.ecP256("b")))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> inspector.inspect("-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("private key");
        assertThatThrownBy(() -> inspector.inspect("x".repeat(CsrInspector.MAX_PEM_LENGTH + 1)))
                .hasMessageContaining("longer than");
    }
}
