package dev.iotdr.replication.registry.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A resumable audit or re-sync: its phases, the cursor of each segment of the current phase, what it has
 * counted so far, and who runs it until when. Saved after every page, so a throttle, a crash or a restart
 * resumes at the last saved cursors instead of starting over.
 *
 * @param segments cursors of the current phase's parallel scan segments
 * @param counts items seen, copied, applied, failed, drift found and repaired
 * @param driftByKind drift counts per kind
 * @param driftSample the first drift found (at most {@link #DRIFT_SAMPLE}), to read without a full listing
 * @param owner the worker running it, if any
 * @param leaseUntil the owner's hold; after it, any worker may resume the job
 * @param revision the stored revision; every save is conditional on it
 */
public record Job(
        String id,
        JobKind kind,
        JobState state,
        List<JobPhase> phases,
        int phase,
        List<Segment> segments,
        Counts counts,
        Map<DriftKind, Long> driftByKind,
        List<Drift> driftSample,
        Optional<String> owner,
        Instant leaseUntil,
        long revision,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> finishedAt,
        Optional<String> error) {

    public static final int DRIFT_SAMPLE = 100;

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        phases = List.copyOf(phases);
        segments = List.copyOf(segments);
        driftByKind = driftByKind.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(driftByKind));
        driftSample = List.copyOf(driftSample);
        if (phase < 0 || phase > phases.size()) {
            throw new IllegalArgumentException("phase " + phase + " is outside 0.." + phases.size());
        }
    }

    /** A new job, not yet run. */
    public static Job start(String id, JobKind kind, List<JobPhase> phases, int segments, Instant now) {
        return new Job(
                id,
                kind,
                JobState.RUNNING,
                phases,
                0,
                Segment.fresh(phases.isEmpty() ? 0 : segmentsOf(phases.getFirst(), segments)),
                Counts.ZERO,
                Map.of(),
                List.of(),
                Optional.empty(),
                Instant.EPOCH,
                0,
                now,
                now,
                Optional.empty(),
                Optional.empty());
    }

    /** The registry's thing list has one cursor; tables are scanned in parallel segments. */
    public static int segmentsOf(JobPhase phase, int segments) {
        return phase.step() == JobPhase.Step.CHECK_THINGS ? 1 : segments;
    }

    public Optional<JobPhase> currentPhase() {
        return phase < phases.size() ? Optional.of(phases.get(phase)) : Optional.empty();
    }

    public boolean leaseFree(Instant now) {
        return owner.isEmpty() || !leaseUntil.isAfter(now);
    }

    public Job owned(String worker, Instant until, Instant now) {
        return new Job(
                id,
                kind,
                state,
                phases,
                phase,
                segments,
                counts,
                driftByKind,
                driftSample,
                Optional.of(worker),
                until,
                revision,
                createdAt,
                now,
                finishedAt,
                error);
    }

    public Job atRevision(long newRevision) {
        return new Job(
                id,
                kind,
                state,
                phases,
                phase,
                segments,
                counts,
                driftByKind,
                driftSample,
                owner,
                leaseUntil,
                newRevision,
                createdAt,
                updatedAt,
                finishedAt,
                error);
    }

    /** One segment moved on by a page: its new cursor (none and done at the end), what the page counted. */
    public Job pageDone(int segment, Optional<String> cursor, Counts page, List<Drift> drift, Instant now) {
        List<Segment> moved = new ArrayList<>(segments);
        moved.set(segment, new Segment(segment, cursor, cursor.isEmpty()));
        Map<DriftKind, Long> byKind = new EnumMap<>(DriftKind.class);
        byKind.putAll(driftByKind);
        drift.forEach(d -> byKind.merge(d.kind(), 1L, Long::sum));
        List<Drift> sample = new ArrayList<>(driftSample);
        for (Drift d : drift) {
            if (sample.size() >= DRIFT_SAMPLE) {
                break;
            }
            sample.add(d);
        }
        return new Job(
                id,
                kind,
                state,
                phases,
                phase,
                moved,
                counts.plus(page),
                byKind,
                sample,
                owner,
                leaseUntil,
                revision,
                createdAt,
                now,
                finishedAt,
                error);
    }

    /** Every segment of the phase is done: the next phase starts, or the job succeeds. */
    public Job nextPhase(int segmentsPerPhase, Instant now) {
        int next = phase + 1;
        if (next >= phases.size()) {
            return new Job(
                    id,
                    kind,
                    JobState.SUCCEEDED,
                    phases,
                    next,
                    List.of(),
                    counts,
                    driftByKind,
                    driftSample,
                    Optional.empty(),
                    leaseUntil,
                    revision,
                    createdAt,
                    now,
                    Optional.of(now),
                    error);
        }
        return new Job(
                id,
                kind,
                state,
                phases,
                next,
                Segment.fresh(segmentsOf(phases.get(next), segmentsPerPhase)),
                counts,
                driftByKind,
                driftSample,
                owner,
                leaseUntil,
                revision,
                createdAt,
                now,
                finishedAt,
                error);
    }

    public Job failed(String why, Instant now) {
        return new Job(
                id,
                kind,
                JobState.FAILED,
                phases,
                phase,
                segments,
                counts,
                driftByKind,
                driftSample,
                Optional.empty(),
                leaseUntil,
                revision,
                createdAt,
                now,
                Optional.of(now),
                Optional.of(why));
    }

    public boolean phaseDone() {
        return segments.stream().allMatch(Segment::done);
    }

    /** The cursor of one parallel scan segment: after which key it goes on, and whether it is finished. */
    public record Segment(int index, Optional<String> after, boolean done) {
        static List<Segment> fresh(int count) {
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                segments.add(new Segment(i, Optional.empty(), false));
            }
            return segments;
        }
    }

    /** What a job counted. */
    public record Counts(long scanned, long copied, long applied, long failed, long drift, long repaired) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

        public Counts plus(Counts other) {
            return new Counts(
                    scanned + other.scanned,
                    copied + other.copied,
                    applied + other.applied,
                    failed + other.failed,
                    drift + other.drift,
                    repaired + other.repaired);
        }
    }
}
