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
 * requests with different keys from provisioning the same device concurrently in this region. It carries
 * the generation of the device it was taken over (the tombstone version it replaces), so a decommission in
 * any region (its tombstone replicated here) supersedes it, and the attempt that took it, so that only the
 * latest attempt of a saga can release it.
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
     * Claims {@code device} for {@code owner}'s attempt {@code attempt}, over the device's state at
     * {@code generation} (the version of the tombstone it replaces, 0 for a device never registered). A
     * claim taken over an older generation is superseded: a device decommissioned anywhere since can be
     * claimed again. The same owner re-claims with a later attempt, never an earlier one.
     *
     * @return the key that owns the device instead (possibly {@code owner} itself, at a later attempt), or
     *     empty when this attempt now holds it
     */
    Optional<IdempotencyKey> claim(DeviceId device, IdempotencyKey owner, long attempt, long generation);

    /** Releases the claim if {@code owner} holds it and no later attempt of it claimed it since. */
    void release(DeviceId device, IdempotencyKey owner, long attempt);

    /** Whether {@code owner} holds the claim and no later attempt of it claimed it since. */
    boolean holds(DeviceId device, IdempotencyKey owner, long attempt);

    /** Releases a claim taken over a generation older than {@code tombstoneVersion} (the device is gone). */
    void releaseSupersededBy(DeviceId device, long tombstoneVersion);

    /** Sagas not finished (in progress, committed, or with a pending rollback) whose lease ran out. */
    List<ProvisioningRequest> unfinished(Instant leaseExpiredBefore);

    /** A write lost a race with another attempt, or a live saga already has this key. */
    final class StaleRequestException extends RuntimeException {
        public StaleRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
