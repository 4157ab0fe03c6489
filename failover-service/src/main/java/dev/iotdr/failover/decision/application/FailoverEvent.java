package dev.iotdr.failover.decision.application;

import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One failover or failback as it happened, with its timeline: first failed probe of the old active
 * region, when it was declared unhealthy, decided, DNS change submitted and in sync (empty when Route 53 did
 * not confirm it in time: the switch still happened and is recorded, so the cool-down holds), and the first
 * healthy request served by the new active region through the custom name. RTO is computed from these.
 */
public record FailoverEvent(
        String id,
        Trigger trigger,
        String from,
        String to,
        String reason,
        boolean forced,
        Optional<Instant> firstFailedProbe,
        Optional<Instant> declaredUnhealthy,
        Instant decided,
        Instant dnsSubmitted,
        Optional<Instant> dnsInSync,
        Optional<Instant> firstHealthyRequest,
        long generation) {

    /** First failed probe to first healthy request through the custom name, when both are known. */
    public Optional<Duration> rto() {
        return firstFailedProbe.flatMap(start -> firstHealthyRequest.map(end -> Duration.between(start, end)));
    }

    /** First failed probe to declared unhealthy. */
    public Optional<Duration> detection() {
        return firstFailedProbe.flatMap(start -> declaredUnhealthy.map(end -> Duration.between(start, end)));
    }
}
