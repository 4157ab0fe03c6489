package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.Problems.DeviceAlreadyRegistered;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests.StaleRequestException;
import dev.iotdr.onboarding.devices.application.UseCases.RecoverAbandonedRequests;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes sagas whose callers went away: each unfinished saga whose lease ran out and whose
 * caller had time to retry (or whose rollback is pending) is taken over with the next fencing token, then
 * finished if its record was written, undone otherwise. Work follows the number of unfinished sagas, never
 * the number of devices (see {@code ProvisioningRequests#unfinished}).
 */
public final class AbandonedSagaSweep implements RecoverAbandonedRequests {
    private static final Logger log = LoggerFactory.getLogger(AbandonedSagaSweep.class);

    private final ProvisioningRequests requests;
    private final DeviceRecords records;
    private final OnboardingSaga onboarding;
    private final RotationSaga rotation;
    private final Compensation compensation;
    private final ProvisioningSettings settings;
    private final Clock clock;

    AbandonedSagaSweep(
            ProvisioningRequests requests,
            DeviceRecords records,
            OnboardingSaga onboarding,
            RotationSaga rotation,
            Compensation compensation,
            ProvisioningSettings settings,
            Clock clock) {
        this.requests = requests;
        this.records = records;
        this.onboarding = onboarding;
        this.rotation = rotation;
        this.compensation = compensation;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public int recoverAbandoned() {
        Instant now = clock.instant();
        int recovered = 0;
        for (ProvisioningRequest stale : requests.unfinished(now)) {
            if (stale.createdAt().plus(settings.abandonedAfter()).isAfter(now)
                    && stale.status() != Status.ROLLBACK_PENDING) {
                continue; // its caller may still retry
            }
            SagaAttempt attempt;
            try {
                attempt = new SagaAttempt(
                        requests.update(stale.takenOver(now.plus(settings.lease()))),
                        requests,
                        clock,
                        settings.lease());
            } catch (StaleRequestException raced) {
                continue;
            }
            try {
                Optional<DeviceRecord> record = records.find(stale.deviceId());
                if (attempt.saga().committed()
                        || record.filter(r -> attempt.saga().wrote(r)).isPresent()) {
                    if (!attempt.saga().committed()) {
                        attempt.save(
                                attempt.saga().committedAt(record.orElseThrow().version()));
                    }
                    if (attempt.saga().operation() == Operation.ONBOARD) {
                        try {
                            onboarding.finishCommitted(attempt, true);
                        } catch (DeviceAlreadyRegistered lost) {
                            compensation.refuse(attempt, lost.getMessage());
                        }
                    } else {
                        try {
                            rotation.finishCommitted(attempt, true);
                        } catch (Problems.DeviceStateConflict withdrawn) {
                            log.info("{}", withdrawn.getMessage());
                        }
                    }
                } else {
                    compensation.undo(attempt);
                }
                recovered++;
            } catch (RuntimeException e) {
                log.warn("could not recover abandoned request for device {}: {}", stale.deviceId(), e.getMessage());
            }
        }
        return recovered;
    }
}
