package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How replication from each source region is doing, since this instance started: the lag of the newest
 * applied record, counts by outcome, records read but not yet applied. In memory; the status API and the
 * metrics read it.
 */
public final class ReplicationProgress {
    private final Map<Region, Source> sources = new ConcurrentHashMap<>();

    public Source source(Region region) {
        return sources.computeIfAbsent(region, r -> new Source());
    }

    public Map<Region, Source> sources() {
        return Map.copyOf(sources);
    }

    /** Counters and the newest applied record of one source region. */
    public static final class Source {
        private final AtomicLong applied = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong parked = new AtomicLong();
        private final AtomicLong backlog = new AtomicLong();
        private volatile long lagMillis = -1;
        private volatile boolean caughtUp;
        private volatile Instant lastAppliedAt;

        /**
         * The last successful poll found nothing new to read (true) or read records (false). A poll that
         * could not reach the source says nothing and leaves it as it was.
         */
        public void caughtUp(boolean value) {
            caughtUp = value;
        }

        public boolean isCaughtUp() {
            return caughtUp;
        }

        /** The lag that matters for an RPO decision: 0 once caught up, else the newest applied record's lag. */
        public long effectiveLagMillis() {
            return caughtUp ? 0 : lagMillis;
        }

        public void recorded(ApplyOutcome outcome, long lag, Instant at) {
            if (outcome == ApplyOutcome.APPLIED) {
                applied.incrementAndGet();
            } else {
                skipped.incrementAndGet();
            }
            lagMillis = lag;
            lastAppliedAt = at;
        }

        public void failed() {
            failed.incrementAndGet();
        }

        public void parked() {
            parked.incrementAndGet();
        }

        public void backlog(long records) {
            backlog.set(records);
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

        public long backlog() {
            return backlog.get();
        }

        /** The lag of the newest applied record in ms, or -1 before the first. */
        public long lagMillis() {
            return lagMillis;
        }

        public Optional<Instant> lastAppliedAt() {
            return Optional.ofNullable(lastAppliedAt);
        }
    }
}
