package dev.iotdr.replication.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryLeases;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.ModelStream;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The stream reader against a model of DynamoDB Streams with many shards, splits, empty answers before
 * data, retention trimming, duplicates, and two workers polling one after the other and at the same time,
 * one of which may die: every record is applied unless a gap was recorded for it (and the catch-up a gap
 * starts repairs it), each device's records are first applied in version order, the target converges, and
 * two live workers end holding the shards evenly.
 */
class StreamReaderPropertyTest {
    private static final Region TARGET = Region.of("eu-west-1");
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration RETENTION = Duration.ofHours(24);

    /** One step of a scenario. */
    record Step(Kind kind, int device, SourceFleet.Operation operation, int amount) {}

    enum Kind {
        WRITE,
        WRITE_MORE,
        POLL_A,
        POLL_B,
        POLL_BOTH_AT_ONCE,
        SPLIT,
        TRIM,
        DUPLICATE,
        KILL_A,
        TICK
    }

    static Gen<List<Step>> scenarios() {
        Gen<Step> step = Generate.enumValues(Kind.class)
                .zip(
                        integers().between(0, 7),
                        Generate.enumValues(SourceFleet.Operation.class),
                        integers().between(0, 12),
                        Step::new);
        return lists().of(step).ofSizeBetween(1, 80);
    }

    @Test
    void everyRecordIsAppliedInOrderOrReportedAsAGapAndTwoWorkersShareTheShards() {
        qt().withExamples(Integer.getInteger("iotdr.property.examples", 300))
                .forAll(scenarios(), longs().all())
                .checkAssert(this::check);
    }

    private void check(List<Step> scenario, long seed) {
        Random random = new Random(seed);
        MovableClock clock = new MovableClock();
        SourceFleet source = new SourceFleet();
        ModelStream stream = new ModelStream(clock, random, 0.4);
        InMemoryLeases leases = new InMemoryLeases();
        InMemoryIot target = new InMemoryIot(TARGET.code());
        InMemoryState state = new InMemoryState();
        RegistryApplier applier =
                new RegistryApplier(target, state, state, TARGET, Clock.systemUTC(), Duration.ofMinutes(15));
        ReplicationIntake intake = new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY, state, applier, state, new ReplicationProgress(), clock);
        AtomicInteger catchUps = new AtomicInteger();
        StreamGaps gaps = new StreamGaps(catchUps::incrementAndGet);
        StreamReplicator<DeviceRecord> a = replicator("worker-a", stream, leases, intake, clock, gaps);
        StreamReplicator<DeviceRecord> b = replicator("worker-b", stream, leases, intake, clock, gaps);
        boolean aAlive = true;
        java.time.Instant start = clock.instant();
        leases.polled(SourceFleet.ORIGIN, java.util.Optional.of(ModelStream.STREAM), clock.instant()); // read before
        try {
            for (Step step : scenario) {
                switch (step.kind()) {
                    case WRITE -> source.apply(step.device(), step.operation()).ifPresent(stream::append);
                    case WRITE_MORE -> {
                        for (int i = 0; i < step.amount(); i++) {
                            source.apply((step.device() + i) % 8, SourceFleet.Operation.ONBOARD_OR_UPDATE)
                                    .ifPresent(stream::append);
                        }
                    }
                    case POLL_A -> {
                        if (aAlive) {
                            a.poll();
                        }
                    }
                    case POLL_B -> b.poll();
                    case POLL_BOTH_AT_ONCE -> {
                        if (aAlive) {
                            pollTogether(a, b);
                        } else {
                            b.poll();
                        }
                    }
                    case SPLIT -> stream.split(step.amount());
                    case TRIM -> {
                        clock.advance(Duration.ofHours(3L * step.amount()));
                        stream.trimBefore(clock.instant().minus(RETENTION), leases.checkpoints());
                    }
                    case DUPLICATE -> stream.duplicateLast();
                    case KILL_A -> aAlive = false;
                    case TICK -> clock.advance(Duration.ofSeconds(step.amount()));
                }
            }
            // Quiesce: the live workers poll until everything readable is read (a dead worker's leases expire).
            for (int round = 0; round < 150; round++) {
                clock.advance(Duration.ofSeconds(1));
                if (aAlive) {
                    pollTogether(a, b);
                } else {
                    b.poll();
                }
            }
        } finally {
            a.close();
            b.close();
        }

        Set<String> offered = new HashSet<>();
        state.offered().forEach(r -> offered.add(r.deviceId() + "@" + r.version()));
        List<DeviceRecord> missed = stream.written().stream()
                .filter(r -> !offered.contains(r.deviceId() + "@" + r.version()))
                .toList();
        long recordedGaps = leases.state(SourceFleet.ORIGIN).orElseThrow().gaps();
        assertThat(gaps.count()).isEqualTo(recordedGaps);
        assertThat(missed)
                .as("only records retention removed beyond their shard's checkpoint are missed")
                .allMatch(r -> stream.trimmedUnapplied().contains(r.deviceId() + "@" + r.version()));
        if (!missed.isEmpty()) {
            assertThat(recordedGaps)
                    .as("records were missed, so a gap was recorded")
                    .isPositive();
            assertThat(catchUps.get()).as("and a catch-up asked for").isPositive();
        }
        if (recordedGaps > 0) {
            assertThat(Duration.between(start, clock.instant()).compareTo(RETENTION) >= 0)
                    .as(
                            "a gap is recorded only when the retention could remove records: %s",
                            leases.state(SourceFleet.ORIGIN).orElseThrow().lastGap())
                    .isTrue();
        }
        Map<DeviceId, Long> lastFirstOffer = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (DeviceRecord record : state.offered()) {
            if (seen.add(record.deviceId() + "@" + record.version())) {
                Long before = lastFirstOffer.put(record.deviceId(), record.version());
                assertThat(before == null || before < record.version())
                        .as(
                                "first deliveries of %s in version order (%s after %s)",
                                record.deviceId(), record.version(), before)
                        .isTrue();
            }
        }
        if (recordedGaps > 0) {
            // What a catch-up job does: copy newer records from the source table, apply devices behind.
            source.current().values().forEach(state::copyIfNewer);
            source.current().keySet().forEach(applier::apply);
        }
        assertThat(Convergence.violations(source.current(), source.written(), target))
                .isEmpty();
        assertThat(state.all()).as("nothing parked").isEmpty();
        if (aAlive) {
            Map<String, Integer> held = leases.heldPerWorker(clock.instant());
            int most = held.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int least = held.size() < 2
                    ? 0
                    : held.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            assertThat(most - least).as("shards held per live worker %s", held).isLessThanOrEqualTo(1);
        }
    }

    private static void pollTogether(StreamReplicator<DeviceRecord> a, StreamReplicator<DeviceRecord> b) {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (StreamReplicator<DeviceRecord> worker : List.of(a, b)) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    worker.poll();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static StreamReplicator<DeviceRecord> replicator(
            String worker,
            ModelStream stream,
            InMemoryLeases leases,
            ReplicationIntake intake,
            MovableClock clock,
            StreamGaps gaps) {
        return new StreamReplicator<>(
                SourceFleet.ORIGIN,
                stream,
                leases,
                leases,
                intake,
                new StreamReplicator.Settings(worker, LEASE, 3, 4, RETENTION),
                clock,
                gaps);
    }
}
