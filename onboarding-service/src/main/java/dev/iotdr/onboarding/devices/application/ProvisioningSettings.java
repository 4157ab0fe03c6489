package dev.iotdr.onboarding.devices.application;

import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;

/**
 * What the provisioning sagas need to know.
 *
 * @param region the region this instance provisions in
 * @param devicePolicy the IoT policy every device certificate gets
 * @param idempotencyWindow how long a request can be replayed (and a server-generated key kept sealed); at
 *     most 24 h
 * @param lease how long one attempt holds a saga before another may take it over
 * @param abandonedAfter how old an unfinished saga must be before the sweeper finishes or undoes it
 * @param verifyIssuedCertificateKey check that a certificate issued from a CSR carries the CSR's key (true on
 *     AWS; the local emulator issues certificates for another key)
 */
public record ProvisioningSettings(
        Region region,
        PolicyName devicePolicy,
        Duration idempotencyWindow,
        Duration lease,
        Duration abandonedAfter,
        boolean verifyIssuedCertificateKey) {

    public ProvisioningSettings {
        if (region == null
                || devicePolicy == null
                || idempotencyWindow == null
                || lease == null
                || abandonedAfter == null) {
            throw new IllegalArgumentException("region, policy, window, lease and abandonedAfter are required");
        }
        if (idempotencyWindow.compareTo(Duration.ofHours(24)) > 0
                || idempotencyWindow.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException(
                    "the idempotency window must be 1 min to 24 h, was " + idempotencyWindow);
        }
        if (lease.isNegative() || lease.isZero() || abandonedAfter.compareTo(lease) < 0) {
            throw new IllegalArgumentException("lease must be positive and abandonedAfter at least the lease");
        }
    }
}
