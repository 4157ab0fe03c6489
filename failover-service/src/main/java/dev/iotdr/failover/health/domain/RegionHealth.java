package dev.iotdr.failover.health.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One region's health as this decider sees it, with hysteresis: it turns UNHEALTHY only after
 * {@code failuresToTrip} consecutive failed observations and HEALTHY again only after
 * {@code successesToRecover} consecutive good ones, so one lost probe does not fail a region over and one
 * lucky probe does not bring it back. Immutable; each observation returns the next state.
 *
 * @param firstFailure when the current run of failures began (the outage's first sign), if failing
 * @param declaredUnhealthyAt when the region was declared unhealthy, if it is
 */
public record RegionHealth(
        Status status,
        int consecutiveFailures,
        int consecutiveSuccesses,
        int failuresToTrip,
        int successesToRecover,
        Optional<Instant> firstFailure,
        Optional<Instant> declaredUnhealthyAt,
        String lastDetail) {

    /** What the decider believes of a region. */
    public enum Status {
        /** Not enough observations yet. */
        UNKNOWN,
        HEALTHY,
        UNHEALTHY
    }

    public RegionHealth {
        if (failuresToTrip < 1 || successesToRecover < 1) {
            throw new IllegalArgumentException("failures to trip and successes to recover must be at least 1");
        }
    }

    public static RegionHealth unknown(int failuresToTrip, int successesToRecover) {
        return new RegionHealth(
                Status.UNKNOWN, 0, 0, failuresToTrip, successesToRecover, Optional.empty(), Optional.empty(), "");
    }

    public RegionHealth observe(boolean ok, Instant at, String detail) {
        if (ok) {
            int successes = consecutiveSuccesses + 1;
            boolean recovered = status != Status.HEALTHY && successes >= successesToRecover;
            Status next = recovered ? Status.HEALTHY : status;
            return new RegionHealth(
                    next,
                    0,
                    successes,
                    failuresToTrip,
                    successesToRecover,
                    Optional.empty(),
                    next == Status.UNHEALTHY ? declaredUnhealthyAt : Optional.empty(),
                    detail);
        }
        int failures = consecutiveFailures + 1;
        Optional<Instant> first = firstFailure.isPresent() ? firstFailure : Optional.of(at);
        boolean tripped = status != Status.UNHEALTHY && failures >= failuresToTrip;
        Status next = tripped ? Status.UNHEALTHY : status;
        return new RegionHealth(
                next,
                failures,
                0,
                failuresToTrip,
                successesToRecover,
                first,
                tripped ? Optional.of(at) : declaredUnhealthyAt,
                detail);
    }

    public boolean healthy() {
        return status == Status.HEALTHY;
    }

    public boolean unhealthy() {
        return status == Status.UNHEALTHY;
    }
}
