package dev.iotdr.dataplane.dns;

/**
 * A health check's status as one Route 53 checker keeps it: it flips only after {@code failureThreshold}
 * consecutive probe results the other way, so one lost probe does not move DNS.
 *
 * @param healthy the status reported now
 * @param streak how many consecutive results so far disagree with {@code healthy}
 */
record CheckVerdict(boolean healthy, int streak) {

    CheckVerdict {
        if (streak < 0) {
            throw new IllegalArgumentException("a streak counts results, so it is at least 0, was " + streak);
        }
    }

    /** A new check: Route 53 considers it healthy until there is enough data to say otherwise. */
    static CheckVerdict initial() {
        return new CheckVerdict(true, 0);
    }

    /** The status after one more probe result. */
    CheckVerdict after(boolean probeHealthy, int failureThreshold) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("the failure threshold must be at least 1, was " + failureThreshold);
        }
        if (probeHealthy == healthy) {
            return new CheckVerdict(healthy, 0);
        }
        int disagreeing = streak + 1;
        return disagreeing >= failureThreshold
                ? new CheckVerdict(probeHealthy, 0)
                : new CheckVerdict(healthy, disagreeing);
    }
}
