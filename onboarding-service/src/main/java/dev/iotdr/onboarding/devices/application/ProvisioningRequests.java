package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable saga state and device claims, in this region only (never replicated).
 *
 * <p>A claim says which request owns a device id while it is being onboarded and after; it is what stops two
 * requests with different keys from provisioning the same device concurrently.
 */
public interface ProvisioningRequests {

    Optional<ProvisioningRequest> find(IdempotencyKey key);

    /**
     * Stores a new saga, replacing one under the same key only if that one expired before {@code now}.
     *
     * @throws StaleRequestException if a live saga has this key
     */
    ProvisioningRequest create(ProvisioningRequest request, Instant now);

    /**
     * Stores {@code request} if the stored one is still at {@code request.revision()}.
     *
     * @return the stored request at its new revision
     * @throws StaleRequestException if another attempt wrote it first
     */
    ProvisioningRequest update(ProvisioningRequest request);

    /**
     * Claims {@code device} for {@code owner}.
     *
     * @return the other key that owns the device, or empty when {@code owner} now holds it
     */
    Optional<IdempotencyKey> claim(DeviceId device, IdempotencyKey owner);

    /** Releases the claim if {@code owner} holds it. */
    void release(DeviceId device, IdempotencyKey owner);

    /** Releases the claim whoever holds it (the device was decommissioned). */
    void releaseAny(DeviceId device);

    /** Sagas not finished (in progress, committed, or with a pending rollback) whose lease ran out. */
    List<ProvisioningRequest> unfinished(Instant leaseExpiredBefore);

    /** A write lost a race with another attempt, or a live saga already has this key. */
    final class StaleRequestException extends RuntimeException {
        public StaleRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
