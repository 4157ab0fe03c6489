package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.Problems.DeviceAlreadyRegistered;
import dev.iotdr.onboarding.devices.application.Problems.IdempotencyKeyReused;
import dev.iotdr.onboarding.devices.application.Problems.RequestInProgress;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests.StaleRequestException;
import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds or starts the saga for a key and takes it for this attempt, or says why not: a completed saga is
 * replayed, a refused one refused again, a leased one is "in progress"; one whose lease ran out is taken
 * over with the next fencing token (its earlier attempt can no longer write it); a pending rollback is
 * finished first, and a rolled-back saga starts over.
 */
final class SagaStart {
    static final Duration IN_PROGRESS_RETRY_AFTER = Duration.ofSeconds(1);

    private final ProvisioningRequests requests;
    private final Compensation compensation;
    private final ProvisioningSettings settings;
    private final Clock clock;

    SagaStart(ProvisioningRequests requests, Compensation compensation, ProvisioningSettings settings, Clock clock) {
        this.requests = requests;
        this.compensation = compensation;
        this.settings = settings;
        this.clock = clock;
    }

    SagaAttempt begin(IdempotencyKey key, String fingerprint, Operation operation, DeviceId device) {
        Instant now = clock.instant();
        Optional<ProvisioningRequest> found = requests.find(key).filter(existing -> !existing.expired(now));
        if (found.isEmpty()) {
            try {
                return attempt(requests.create(
                        ProvisioningRequest.start(
                                key,
                                fingerprint,
                                operation,
                                device,
                                now,
                                settings.idempotencyWindow(),
                                settings.lease()),
                        now));
            } catch (StaleRequestException raced) {
                throw inProgress();
            }
        }
        ProvisioningRequest existing = found.get();
        if (!existing.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReused("this Idempotency-Key was used for a different request; use a new key");
        }
        switch (existing.status()) {
            case COMPLETED -> {
                return attempt(existing);
            }
            case REJECTED ->
                throw new DeviceAlreadyRegistered(existing.rejection().orElse("request was refused"));
            default -> {
                if (existing.leased(now)) {
                    throw inProgress();
                }
            }
        }
        SagaAttempt attempt;
        try {
            attempt = attempt(requests.update(existing.takenOver(now.plus(settings.lease()))));
        } catch (StaleRequestException raced) {
            throw inProgress();
        }
        try {
            if (attempt.saga().status() == Status.ROLLBACK_PENDING) {
                compensation.undo(attempt);
            }
            if (attempt.saga().status() == Status.ROLLED_BACK) {
                attempt.save(attempt.saga().restarted(clock.instant().plus(settings.lease())));
            }
        } catch (SagaTakenOver raced) {
            throw inProgress();
        }
        return attempt;
    }

    private SagaAttempt attempt(ProvisioningRequest saga) {
        return new SagaAttempt(saga, requests, clock, settings.lease());
    }

    /** The answer of an attempt that another attempt with the same key overtook. */
    static RequestInProgress overtaken() {
        return new RequestInProgress(
                "this attempt was overtaken by a retry with the same Idempotency-Key, which finishes the"
                        + " request; repeat it to get the answer",
                IN_PROGRESS_RETRY_AFTER);
    }

    static RequestInProgress inProgress() {
        return new RequestInProgress("a request with this Idempotency-Key is in progress", IN_PROGRESS_RETRY_AFTER);
    }
}
