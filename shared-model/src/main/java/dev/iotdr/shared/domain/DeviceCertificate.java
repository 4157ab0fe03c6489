package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/**
 * The X.509 certificate a device authenticates with, as registered in AWS IoT: its id, the ARN in the region
 * that issued it, the public PEM (what another region needs to register it without a CA) and its status.
 * Never a private key.
 */
public record DeviceCertificate(CertificateId id, String arn, String pem, CertificateStatus status) {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:iot:[a-z0-9-]+:[0-9]{12}:cert/[a-f0-9]{64}");
    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String PEM_END = "-----END CERTIFICATE-----";
    private static final int MAX_PEM_LENGTH = 65_536;

    public DeviceCertificate {
        Checks.required("certificate id", id);
        Checks.matching("certificate ARN", arn, ARN, 1, 2048);
        if (!arn.endsWith("/" + id.value())) {
            throw new IllegalArgumentException("certificate ARN " + arn + " does not name certificate " + id);
        }
        Checks.required("certificate PEM", pem);
        String trimmed = pem.strip();
        if (!trimmed.startsWith(PEM_BEGIN) || !trimmed.endsWith(PEM_END) || pem.length() > MAX_PEM_LENGTH) {
            throw new IllegalArgumentException("certificate PEM must be one PEM-encoded X.509 certificate of at most "
                    + MAX_PEM_LENGTH + " characters");
        }
        if (pem.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("certificate PEM must not contain private key material");
        }
        Checks.required("certificate status", status);
    }

    /**
     * This certificate's ARN in {@code region}: the same certificate registered there has the same id, and
     * the ARN differs only in its region field.
     */
    public String arnIn(Region region) {
        String[] parts = arn.split(":", 6);
        parts[3] = region.code();
        return String.join(":", parts);
    }

    public DeviceCertificate withStatus(CertificateStatus newStatus) {
        return new DeviceCertificate(id, arn, pem, newStatus);
    }
}
