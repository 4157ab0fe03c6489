package dev.iotdr.onboarding.devices.application;

import java.time.Duration;

/** Why a device request was refused; each maps to one HTTP status in the web adapter. */
public final class Problems {
    private Problems() {}

    /** The device is registered already (409). */
    public static final class DeviceAlreadyRegistered extends RuntimeException {
        public DeviceAlreadyRegistered(String message) {
            super(message);
        }
    }

    /** The Idempotency-Key was used for a different request (422). */
    public static final class IdempotencyKeyReused extends RuntimeException {
        public IdempotencyKeyReused(String message) {
            super(message);
        }
    }

    /** Another attempt with the same Idempotency-Key is running (409, retry after). */
    public static final class RequestInProgress extends RuntimeException {
        private final Duration retryAfter;

        public RequestInProgress(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * The device is decommissioned (its tombstone is written and replicates), but this region's registry is
     * still being changed by someone else (replication attaching a certificate at the same moment): 409 with
     * Retry-After; repeating the DELETE finishes it.
     */
    public static final class DecommissionInProgress extends RuntimeException {
        private final Duration retryAfter;

        public DecommissionInProgress(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * The device changed in another region (decommissioned there) and replication has not brought that
     * here yet: 409 with Retry-After; the same request succeeds once it has.
     */
    public static final class DeviceChangingElsewhere extends RuntimeException {
        private final Duration retryAfter;

        public DeviceChangingElsewhere(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** No such device (404). */
    public static final class DeviceNotFound extends RuntimeException {
        public DeviceNotFound(String message) {
            super(message);
        }
    }

    /** The device changed under the request, or is decommissioned (409). */
    public static final class DeviceStateConflict extends RuntimeException {
        public DeviceStateConflict(String message) {
            super(message);
        }
    }

    /** The CSR is not acceptable (400). */
    public static final class InvalidCsr extends RuntimeException {
        public InvalidCsr(String message) {
            super(message);
        }
    }
}
