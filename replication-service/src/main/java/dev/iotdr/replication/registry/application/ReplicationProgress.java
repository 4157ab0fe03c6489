package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this instance did per source region since it started: counts by outcome and the last apply. In
 * memory, per instance (metrics add them up across instances); the lag that decisions use is shared and
 * durable ({@code stream.application.ReplicationLag}), never this.
 */
public final class ReplicationProgress {
    private final Map<Region, Source> sources = new ConcurrentHashMap<>();

    public Source source(Region region) {
        return sources.computeIfAbsent(region, r -> new Source());
    }

    public Map<Region, Source> sources() {
        return Map.copyOf(sources);
    }

    /** Counters of one source region on this instance. */
    public static final class Source {
        private final AtomicLong applied = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong parked = new AtomicLong();
        private volatile Instant lastAppliedAt;

        public void recorded(ApplyOutcome outcome, Instant at) {
            if (outcome == ApplyOutcome.APPLIED) {
                applied.incrementAndGet();
            } else {
                skipped.incrementAndGet();
            }
            lastAppliedAt = at;
        }

        public void failed() {
            failed.incrementAndGet();
        }

        public void parked() {
            parked.incrementAndGet();
        }

        public long applied() {
            return applied.get();
        }

        public long skipped() {
            return skipped.get();
        }

        public long failedCount() {
            return failed.get();
        }

        public long parkedCount() {
            return parked.get();
        }

        public Optional<Instant> lastAppliedAt() {
            return Optional.ofNullable(lastAppliedAt);
        }
    }
}
