package dev.iotdr.onboarding.devices.application;

import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;

/**
 * This region's device registry (AWS IoT). Every operation is idempotent: ensuring what exists, detaching
 * what is not attached and deleting what is gone all succeed.
 */
public interface DeviceRegistry {

    void ensureThingGroup(ThingGroupName group);

    /** A new key pair and certificate, INACTIVE. The private key exists only in the answer. */
    IssuedKeys createKeysAndCertificate();

    /** A certificate for the CSR's key, INACTIVE. No private key ever reaches this service. */
    DeviceCertificate createCertificateFromCsr(String csrPem);

    void attachPolicy(PolicyName policy, String certificateArn);

    void detachPolicy(PolicyName policy, String certificateArn);

    /** Creates the thing, or makes an existing one carry these attributes. */
    void ensureThing(ThingName thing, ThingAttributes attributes);

    void attachThingPrincipal(ThingName thing, String certificateArn);

    void detachThingPrincipal(ThingName thing, String certificateArn);

    void addThingToGroup(ThingName thing, ThingGroupName group);

    void setCertificateStatus(CertificateId certificate, CertificateStatus status);

    /** Deletes an INACTIVE certificate with nothing attached. */
    void deleteCertificate(CertificateId certificate);

    /**
     * Deletes the thing.
     *
     * @throws ThingInUseException if a principal is attached to it (IoT refuses the delete)
     */
    void deleteThing(ThingName thing);

    /** The ARNs of the certificates attached to the thing; empty if the thing does not exist. */
    java.util.List<String> principalsOf(ThingName thing);

    /** IoT refused to delete a thing because a principal is attached to it (someone attached one meanwhile). */
    final class ThingInUseException extends RuntimeException {
        public ThingInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A certificate and its private key, as IoT issued them. {@code toString} never shows the key. */
    record IssuedKeys(DeviceCertificate certificate, String privateKeyPem) {
        @Override
        public String toString() {
            return "IssuedKeys[certificate=" + certificate.id() + ", privateKey=<redacted>]";
        }
    }
}
