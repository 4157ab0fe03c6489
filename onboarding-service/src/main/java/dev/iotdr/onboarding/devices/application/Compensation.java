package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRegistry.ThingInUseException;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.ThingName;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoing a saga, in one place. The rules:
 *
 * <table>
 *   <caption>What a failed attempt does</caption>
 *   <tr><th>situation</th><th>what happens</th></tr>
 *   <tr><td>another attempt took the saga over</td><td>nothing: that attempt finishes or undoes it</td></tr>
 *   <tr><td>the device record was (or may have been) written</td><td>nothing is undone; the lease is
 *       released so a retry finishes the saga at once</td></tr>
 *   <tr><td>otherwise</td><td>{@link #undo}: the saga is marked ROLLBACK_PENDING first (a fenced write:
 *       an overtaken attempt stops here), then its certificate is removed, the thing only if nothing else
 *       owns it, its claim only if no later attempt holds it; then ROLLED_BACK. If a step fails it stays
 *       ROLLBACK_PENDING for a retry or the sweeper.</td></tr>
 * </table>
 *
 * <p>The thing is shared by name with whoever else onboards the device id, so it is deleted only when the
 * saga marked it created, no live record (anyone's) needs it, this attempt's claim still holds, and IoT
 * agrees that no certificate is attached to it.
 */
final class Compensation {
    private static final Logger log = LoggerFactory.getLogger(Compensation.class);

    private final DeviceRegistry registry;
    private final DeviceRecords records;
    private final ProvisioningRequests requests;
    private final ProvisioningSettings settings;
    private final Clock clock;

    Compensation(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            ProvisioningSettings settings,
            Clock clock) {
        this.registry = registry;
        this.records = records;
        this.requests = requests;
        this.settings = settings;
        this.clock = clock;
    }

    /** After a failure: undoes what the attempt's saga created, unless it is committed or was taken over. */
    void afterFailure(SagaAttempt attempt, RuntimeException failure) {
        if (failure instanceof SagaTakenOver) {
            return;
        }
        boolean mayBeCommitted = attempt.saga().committed();
        if (!mayBeCommitted && attempt.recordWriteSent) {
            try {
                mayBeCommitted = records.find(attempt.saga().deviceId())
                        .filter(record -> attempt.saga().wrote(record))
                        .isPresent();
            } catch (RuntimeException unknown) {
                failure.addSuppressed(unknown);
                mayBeCommitted = true;
            }
        }
        if (mayBeCommitted) {
            log.warn(
                    "request for device {} failed after its record was (or may have been) written; a retry "
                            + "finishes it: {}",
                    attempt.saga().deviceId(),
                    failure.getMessage());
            releaseLease(attempt, failure);
            return;
        }
        try {
            undo(attempt);
        } catch (SagaTakenOver overtaken) {
            failure.addSuppressed(overtaken);
        } catch (RuntimeException undoFailure) {
            failure.addSuppressed(undoFailure);
            releaseLease(attempt, failure);
        }
    }

    /** The request is refused: undo what it created and remember the refusal, replayed for its key. */
    void refuse(SagaAttempt attempt, String reason) {
        try {
            undo(attempt);
            attempt.save(attempt.saga().rejected(reason, clock.instant()));
        } catch (RuntimeException e) {
            log.warn(
                    "could not record the refusal of request for device {}: {}",
                    attempt.saga().deviceId(),
                    e.getMessage());
        }
    }

    /**
     * Removes what the saga created, in reverse order, each step fenced.
     *
     * @throws SagaTakenOver if another attempt holds the saga (nothing was undone by this one)
     */
    void undo(SagaAttempt attempt) {
        if (attempt.saga().status() != Status.ROLLBACK_PENDING) {
            attempt.save(attempt.saga().rollbackPending());
        } else {
            attempt.fence();
        }
        ProvisioningRequest saga = attempt.saga();
        ThingName thing = saga.deviceId().thingName();
        if (saga.certificate().isPresent()) {
            DeviceCertificate certificate = saga.certificate().get();
            attempt.hold();
            registry.setCertificateStatus(certificate.id(), CertificateStatus.INACTIVE);
            registry.detachThingPrincipal(thing, certificate.arn());
            registry.detachPolicy(settings.devicePolicy(), certificate.arn());
            attempt.hold();
            registry.deleteCertificate(certificate.id());
        }
        if (saga.thingCreated() && thingIsOnlyOurs(attempt)) {
            attempt.fence();
            try {
                registry.deleteThing(thing);
            } catch (ThingInUseException attached) {
                log.info("thing {} kept: a certificate was attached to it meanwhile", thing);
            }
        }
        if (saga.operation() == Operation.ONBOARD) {
            attempt.fence();
            requests.release(saga.deviceId(), saga.key(), saga.attempt());
        }
        attempt.save(attempt.saga().rolledBack(clock.instant()));
        log.info("request for device {} undone: nothing it created remains", saga.deviceId());
    }

    private boolean thingIsOnlyOurs(SagaAttempt attempt) {
        ProvisioningRequest saga = attempt.saga();
        boolean live =
                records.find(saga.deviceId()).filter(r -> !r.isTombstone()).isPresent();
        return !live && requests.holds(saga.deviceId(), saga.key(), saga.attempt());
    }

    private static void releaseLease(SagaAttempt attempt, RuntimeException failure) {
        try {
            attempt.releaseLease();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
