package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRegistry.IssuedKeys;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.SealedSecret;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import java.security.PublicKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues a saga's certificate once: an attempt resumes the certificate an earlier one recorded; a new one is
 * recorded (with its private key, sealed) before anything else happens to it. A certificate whose recording
 * certainly failed (the saga was taken over, or the stored saga does not name it) is deleted at once:
 * nothing else knows of it, so nothing else could ever remove it.
 */
final class CertificateIssuance {
    private static final Logger log = LoggerFactory.getLogger(CertificateIssuance.class);

    private final DeviceRegistry registry;
    private final ProvisioningRequests requests;
    private final PrivateKeySealer sealer;
    private final CsrInspector csrs;
    private final ProvisioningSettings settings;

    CertificateIssuance(
            DeviceRegistry registry,
            ProvisioningRequests requests,
            PrivateKeySealer sealer,
            CsrInspector csrs,
            ProvisioningSettings settings) {
        this.registry = registry;
        this.requests = requests;
        this.sealer = sealer;
        this.csrs = csrs;
        this.settings = settings;
    }

    DeviceCertificate issueOnce(SagaAttempt attempt, Optional<PublicKey> csrKey, Optional<String> csrPem) {
        if (attempt.saga().certificate().isPresent()) {
            return attempt.saga().certificate().get();
        }
        attempt.hold();
        if (csrPem.isPresent()) {
            DeviceCertificate certificate = registry.createCertificateFromCsr(csrPem.get());
            record(attempt, certificate, Optional.empty());
            if (settings.verifyIssuedCertificateKey()) {
                csrs.requireIssuedFor(csrKey.orElseThrow(), certificate.pem());
            }
            return certificate;
        }
        IssuedKeys keys = registry.createKeysAndCertificate();
        Optional<SealedSecret> sealed = Optional.of(sealer.seal(keys.privateKeyPem(), sealContext(attempt.saga())));
        record(attempt, keys.certificate(), sealed);
        attempt.issuedPrivateKey = keys.privateKeyPem();
        return keys.certificate();
    }

    private void record(SagaAttempt attempt, DeviceCertificate certificate, Optional<SealedSecret> sealed) {
        try {
            attempt.save(attempt.saga().withCertificate(certificate, sealed));
        } catch (RuntimeException unrecorded) {
            if (mayBeRecorded(attempt, certificate)) {
                // the write applied before it failed (a timeout, then a retry that lost its own revision
                // condition): the saga names the certificate and its undo or its successor owns it
                throw unrecorded;
            }
            try {
                registry.setCertificateStatus(certificate.id(), CertificateStatus.INACTIVE);
                registry.deleteCertificate(certificate.id());
            } catch (RuntimeException stillThere) {
                unrecorded.addSuppressed(stillThere);
                log.error(
                        "certificate {} was issued for device {} but neither recorded nor deleted: delete it",
                        certificate.id(),
                        attempt.saga().deviceId());
            }
            throw unrecorded;
        }
    }

    /** Whether the saga as stored names {@code certificate} (true when the store cannot be read either). */
    private boolean mayBeRecorded(SagaAttempt attempt, DeviceCertificate certificate) {
        try {
            return requests.find(attempt.saga().key())
                    .flatMap(ProvisioningRequest::certificate)
                    .filter(stored -> stored.id().equals(certificate.id()))
                    .isPresent();
        } catch (RuntimeException unreadable) {
            log.warn(
                    "certificate {} for device {}: whether it was recorded cannot be read; kept (INACTIVE)",
                    certificate.id(),
                    attempt.saga().deviceId());
            return true;
        }
    }

    static String sealContext(ProvisioningRequest saga) {
        return saga.key().value() + "|" + saga.deviceId().value();
    }
}
