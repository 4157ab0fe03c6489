package dev.iotdr.shared.domain;

/**
 * A certificate a device no longer uses (rotated out), kept on the record so that every region deactivates
 * and detaches it too.
 */
public record RetiredCertificate(CertificateId id, CertificateStatus status) {
    public RetiredCertificate {
        Checks.required("retired certificate id", id);
        Checks.required("retired certificate status", status);
        if (status == CertificateStatus.ACTIVE) {
            throw new IllegalArgumentException("a retired certificate cannot be ACTIVE: " + id);
        }
    }
}
