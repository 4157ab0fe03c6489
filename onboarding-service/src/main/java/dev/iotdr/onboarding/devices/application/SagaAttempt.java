package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.ProvisioningRequests.StaleRequestException;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a saga: the latest stored state, and what this attempt did that is not stored.
 *
 * <p>Every save is conditional on the saga's revision, so a save by an attempt that another attempt has
 * overtaken fails ({@link SagaTakenOver}); and every save of an unfinished saga renews the lease, so a
 * working attempt keeps it. {@link #hold()} renews it between saves, before slow calls (one paced AWS call
 * can wait several seconds per try), and {@link #fence()} proves the attempt still holds the saga before
 * anything destructive.
 */
final class SagaAttempt {
    private final ProvisioningRequests requests;
    private final Clock clock;
    private final Duration lease;
    private ProvisioningRequest saga;
    private Instant lastWrite;

    /** The device record was (or may have been) sent: only the table can say whether it was written. */
    boolean recordWriteSent;

    /** The private key of a certificate this attempt issued, for the answer (stored only sealed). */
    String issuedPrivateKey;

    SagaAttempt(ProvisioningRequest saga, ProvisioningRequests requests, Clock clock, Duration lease) {
        this.saga = saga;
        this.requests = requests;
        this.clock = clock;
        this.lease = lease;
        this.lastWrite = clock.instant();
    }

    ProvisioningRequest saga() {
        return saga;
    }

    /**
     * Stores {@code next}; an unfinished saga's lease is renewed with it.
     *
     * @throws SagaTakenOver if another attempt wrote the saga first
     */
    void save(ProvisioningRequest next) {
        Instant now = clock.instant();
        write(next.unfinished() ? next.leasedUntil(now.plus(lease)) : next, now);
    }

    /** Renews the lease if a third of it has passed since this attempt last wrote. */
    void hold() {
        if (!Duration.between(lastWrite, clock.instant())
                .minus(lease.dividedBy(3))
                .isNegative()) {
            fence();
        }
    }

    /**
     * Writes the saga as it is (renewing the lease): proof that this attempt still holds it.
     *
     * @throws SagaTakenOver if it does not
     */
    void fence() {
        save(saga);
    }

    /** Lets the caller's retry resume at once instead of waiting for the lease to run out. */
    void releaseLease() {
        Instant now = clock.instant();
        write(saga.leasedUntil(now), now);
    }

    Optional<String> privateKey(PrivateKeySealer sealer) {
        if (issuedPrivateKey != null) {
            return Optional.of(issuedPrivateKey);
        }
        return saga.privateKey().map(secret -> sealer.unseal(secret, CertificateIssuance.sealContext(saga)));
    }

    private void write(ProvisioningRequest next, Instant now) {
        try {
            saga = requests.update(next);
            lastWrite = now;
        } catch (StaleRequestException lost) {
            throw new SagaTakenOver("request " + saga.key() + " was taken over by another attempt", lost);
        }
    }
}
