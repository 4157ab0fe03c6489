package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRecords.RecordConflictException;
import dev.iotdr.onboarding.devices.application.Problems.DeviceNotFound;
import dev.iotdr.onboarding.devices.application.Problems.DeviceStateConflict;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificate;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificateCommand;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.ThingName;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;

/**
 * The rotation saga, top to bottom: read the device's record; remember the certificate being replaced;
 * issue the new one (recorded first); attach policy and thing; write the record naming it (the commit);
 * only then activate it, and retire the old one. Until the record names it, the new certificate is
 * INACTIVE, so replication's clean-up in this region leaves it alone and no device can use a certificate
 * that no record explains.
 */
public final class RotationSaga implements RotateCertificate {
    private final DeviceRegistry registry;
    private final DeviceRecords records;
    private final CsrInspector csrs;
    private final SagaStart start;
    private final CertificateIssuance issuance;
    private final Compensation compensation;
    private final SagaAnswers answers;
    private final ProvisioningSettings settings;
    private final Clock clock;

    RotationSaga(
            DeviceRegistry registry,
            DeviceRecords records,
            CsrInspector csrs,
            SagaStart start,
            CertificateIssuance issuance,
            Compensation compensation,
            SagaAnswers answers,
            ProvisioningSettings settings,
            Clock clock) {
        this.registry = registry;
        this.records = records;
        this.csrs = csrs;
        this.start = start;
        this.issuance = issuance;
        this.compensation = compensation;
        this.answers = answers;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public ProvisionedDevice rotate(RotateCertificateCommand command) {
        Optional<PublicKey> csrKey = command.csrPem().map(csrs::inspect);
        SagaAttempt attempt = start.begin(command.key(), command.fingerprint(), Operation.ROTATE, command.deviceId());
        if (attempt.saga().status() == Status.COMPLETED) {
            return answers.replay(attempt.saga());
        }
        try {
            boolean resumed = attempt.saga().status() != Status.IN_PROGRESS;
            if (!resumed) {
                replaceCertificate(attempt, command, csrKey);
            }
            finishCommitted(attempt, resumed);
            return answers.fresh(attempt);
        } catch (SagaTakenOver overtaken) {
            throw SagaStart.overtaken();
        } catch (RuntimeException failure) {
            compensation.afterFailure(attempt, failure);
            throw failure;
        }
    }

    /**
     * After the record is written: the new certificate works, the old one stops. Idempotent. A resumed saga
     * first checks that the record still names its certificate: if the device changed since (decommissioned,
     * or rotated again), the certificate is withdrawn instead of activated.
     */
    void finishCommitted(SagaAttempt attempt, boolean verify) {
        if (verify) {
            DeviceId device = attempt.saga().deviceId();
            boolean stillOurs =
                    records.find(device).filter(attempt.saga()::wrote).isPresent();
            if (!stillOurs) {
                compensation.undo(attempt);
                throw new DeviceStateConflict("device " + device
                        + " changed after this rotation was recorded; its certificate was withdrawn");
            }
        }
        ProvisioningRequest saga = attempt.saga();
        attempt.hold();
        registry.setCertificateStatus(saga.certificate().orElseThrow().id(), CertificateStatus.ACTIVE);
        if (saga.replacedCertificate().isPresent()) {
            CertificateId old = saga.replacedCertificate().get();
            String oldArn = arnOf(old, saga);
            attempt.hold();
            registry.setCertificateStatus(old, CertificateStatus.INACTIVE);
            registry.detachThingPrincipal(saga.deviceId().thingName(), oldArn);
            registry.detachPolicy(settings.devicePolicy(), oldArn);
        }
        attempt.save(attempt.saga().completed(clock.instant()));
    }

    private void replaceCertificate(SagaAttempt attempt, RotateCertificateCommand command, Optional<PublicKey> csrKey) {
        DeviceId device = command.deviceId();
        DeviceRecord current =
                records.find(device).orElseThrow(() -> new DeviceNotFound("device " + device + " is not registered"));
        if (attempt.saga().wrote(current)) {
            attempt.save(attempt.saga().committedAt(current.version()));
            return;
        }
        if (current.isTombstone()) {
            throw new DeviceStateConflict("device " + device + " is decommissioned; onboard it again instead");
        }
        if (attempt.saga().replacedCertificate().isEmpty()) {
            attempt.save(attempt.saga().replacing(current.certificate().id()));
        } else if (!attempt.saga()
                .replacedCertificate()
                .get()
                .equals(current.certificate().id())) {
            throw new DeviceStateConflict(
                    "device " + device + "'s certificate changed while rotating; retry with a new key");
        }
        DeviceCertificate replacement = issuance.issueOnce(attempt, csrKey, command.csrPem());
        ThingName thing = current.thingName();
        attempt.hold();
        registry.attachPolicy(settings.devicePolicy(), replacement.arn());
        attempt.hold();
        registry.attachThingPrincipal(thing, replacement.arn());
        DeviceRecord next = current.withRotatedCertificate(
                replacement.withStatus(CertificateStatus.ACTIVE), settings.region(), clock.instant());
        attempt.fence();
        attempt.recordWriteSent = true;
        try {
            records.replace(next, current.version());
        } catch (RecordConflictException conflict) {
            Optional<DeviceRecord> now = records.find(device);
            if (now.isPresent() && attempt.saga().wrote(now.get())) {
                attempt.save(attempt.saga().committedAt(now.get().version()));
                return;
            }
            attempt.recordWriteSent = false;
            throw new DeviceStateConflict("device " + device + " changed while rotating; retry with a new key");
        }
        attempt.save(attempt.saga().committedAt(next.version()));
    }

    private static String arnOf(CertificateId certificate, ProvisioningRequest saga) {
        String template = saga.certificate().orElseThrow().arn();
        return template.substring(0, template.lastIndexOf('/') + 1) + certificate.value();
    }
}
