package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;

/**
 * A region's replication from its sources.
 *
 * @param appliedUpTo everything its sources wrote before this is applied there (the oldest over sources)
 * @param sources the regions it replicates from
 * @param lag its replication lag now: the age of the oldest record that may not be applied, which grows
 *     while a source cannot be read
 */
public record ReplicationView(Instant appliedUpTo, java.util.Set<Region> sources, Duration lag) {
    public ReplicationView {
        sources = java.util.Set.copyOf(sources);
    }
}
