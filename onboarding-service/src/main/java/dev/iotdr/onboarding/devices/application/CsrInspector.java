package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.Problems.InvalidCsr;
import java.io.IOException;
import java.io.StringReader;
import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a device's certificate signing request before IoT sees it: one PEM PKCS#10 request, self-signed
 * (proof that the device holds the key), with a key AWS IoT accepts and we consider strong (RSA of 2048 bits
 * or more, EC P-256 or P-384).
 */
public final class CsrInspector {
    public static final int MAX_PEM_LENGTH = 16_384;

    /** Parses and verifies {@code pem}; returns the public key it asks a certificate for. */
    public PublicKey inspect(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCsr("csr is empty");
        }
        if (pem.length() > MAX_PEM_LENGTH) {
            throw new InvalidCsr("csr is longer than " + MAX_PEM_LENGTH + " characters");
        }
        if (pem.contains("PRIVATE KEY")) {
            throw new InvalidCsr("csr contains private key material; send only the certificate request");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
            if (parser.readObject() != null) {
                throw new InvalidCsr("csr must hold exactly one certificate request");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidCsr invalid) {
                throw invalid;
            }
            throw new InvalidCsr("csr is not a readable PEM certificate request");
        }
        if (!(parsed instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest request)) {
            throw new InvalidCsr("csr is not a PKCS#10 certificate request (expected BEGIN CERTIFICATE REQUEST)");
        }
        JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
        PublicKey key;
        try {
            key = jca.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new InvalidCsr("csr signature does not verify with its own key");
            }
        } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
            throw new InvalidCsr(
                    "csr signature cannot be verified: " + e.getClass().getSimpleName());
        }
        requireStrong(key);
        return key;
    }

    /**
     * Refuses a certificate that was not issued for {@code expected}. AWS IoT always issues for the CSR's key;
     * the local emulator does not, which is why this check can be switched off there.
     */
    public void requireIssuedFor(PublicKey expected, String certificatePem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(
                            certificatePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            if (!Arrays.equals(certificate.getPublicKey().getEncoded(), expected.getEncoded())) {
                throw new IllegalStateException("the issued certificate's public key is not the CSR's");
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the issued certificate cannot be parsed", e);
        }
    }

    private static boolean isCurve(ECPublicKey key, String name) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(name));
            ECParameterSpec named = parameters.getParameterSpec(ECParameterSpec.class);
            return named.getCurve().equals(key.getParams().getCurve())
                    && named.getGenerator().equals(key.getParams().getGenerator());
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireStrong(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new InvalidCsr(
                        "csr RSA key has " + rsa.getModulus().bitLength() + " bits; 2048 or more required");
            }
            return;
        }
        if (key instanceof ECPublicKey ec) {
            if (!isCurve(ec, "secp256r1") && !isCurve(ec, "secp384r1")) {
                throw new InvalidCsr("csr EC key must be on P-256 or P-384");
            }
            return;
        }
        throw new InvalidCsr("csr key must be RSA (2048+ bits) or EC (P-256, P-384), was " + key.getAlgorithm());
    }
}
