package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryLeases;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.ModelStream;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random fleets of onboard / update / rotate / decommission, replicated to another region through the
 * real stream replicator and applier, with duplicated records, replays from lost checkpoints, worker
 * restarts and (at the intake) reordering: the target registry always ends in exactly the expected state.
 */
class ConvergencePropertyTest {
    private static final Region TARGET = Region.of("eu-west-1");

    /** One step of a scenario. */
    record Step(Kind kind, int device, SourceFleet.Operation operation, int amount) {}

    enum Kind {
        WRITE,
        POLL,
        DUPLICATE,
        LOSE_CHECKPOINT,
        RESTART_WORKER
    }

    /** Scenarios of 1 to 60 random steps. */
    static Gen<List<Step>> scenarios() {
        Gen<Step> step = Generate.enumValues(Kind.class)
                .zip(
                        integers().between(0, 3),
                        Generate.enumValues(SourceFleet.Operation.class),
                        integers().between(0, 50),
                        Step::new);
        return lists().of(step).ofSizeBetween(1, 60);
    }

    @Test
    void throughTheStreamWithDuplicatesReplaysAndRestartsTheTargetConverges() {
        qt().withExamples(300).forAll(scenarios()).checkAssert(this::convergesThroughTheStream);
    }

    private void convergesThroughTheStream(List<Step> scenario) {
        SourceFleet source = new SourceFleet();
        MovableClock clock = new MovableClock();
        ModelStream stream = new ModelStream(clock, new Random(scenario.size()), 0.2);
        InMemoryLeases leases = new InMemoryLeases();
        InMemoryIot target = new InMemoryIot(TARGET.code());
        InMemoryState state = new InMemoryState();
        ReplicationIntake intake = intake(target, state, clock);
        leases.polled(SourceFleet.ORIGIN, java.util.Optional.of(ModelStream.STREAM), clock.instant());
        StreamReplicator<DeviceRecord> worker = replicator(stream, leases, intake, "worker-1", clock);
        List<StreamReplicator<DeviceRecord>> started = new ArrayList<>(List.of(worker));
        int workers = 1;

        for (Step step : scenario) {
            switch (step.kind()) {
                case WRITE -> source.apply(step.device(), step.operation()).ifPresent(stream::append);
                case POLL -> worker.poll();
                case DUPLICATE -> stream.duplicateLast();
                case LOSE_CHECKPOINT -> leases.loseCheckpoints();
                case RESTART_WORKER -> {
                    clock.advance(Duration.ofSeconds(30)); // the old worker's lease expires
                    worker = replicator(stream, leases, intake, "worker-" + (++workers), clock);
                    started.add(worker);
                }
            }
        }
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            worker.poll();
        }
        started.forEach(StreamReplicator::close);

        java.util.Set<String> offered = new java.util.HashSet<>();
        state.offered().forEach(r -> offered.add(r.deviceId() + "@" + r.version()));
        assertThat(stream.written())
                .as("every record read and applied")
                .allMatch(r -> offered.contains(r.deviceId() + "@" + r.version()));
        assertThat(Convergence.violations(source.current(), source.written(), target))
                .isEmpty();
        assertThat(state.all()).as("nothing parked").isEmpty();
    }

    @Test
    void inAnyOrderWithDuplicatesEveryDeliveryLeavesTheNewestState() {
        qt().withExamples(300).forAll(scenarios(), longs().all()).checkAssert(this::everyDeliveryLeavesTheNewestState);
    }

    private void everyDeliveryLeavesTheNewestState(List<Step> scenario, long seed) {
        SourceFleet source = new SourceFleet();
        for (Step step : scenario) {
            source.apply(step.device(), step.operation());
        }
        List<DeviceRecord> deliveries = new ArrayList<>(source.written());
        Random random = new Random(seed);
        for (DeviceRecord record : source.written()) {
            if (random.nextBoolean()) {
                deliveries.add(record); // duplicated
            }
        }
        Collections.shuffle(deliveries, random);
        InMemoryIot target = new InMemoryIot(TARGET.code());
        InMemoryState state = new InMemoryState();
        ReplicationIntake intake = intake(target, state, new MovableClock());

        deliveries.forEach(record -> intake.accept(SourceFleet.ORIGIN, record));

        assertThat(Convergence.violations(source.current(), source.written(), target))
                .isEmpty();
        source.current()
                .forEach((device, record) -> assertThat(state.get(device)).isEqualTo(RecordRank.of(record)));
    }

    private static ReplicationIntake intake(InMemoryIot target, InMemoryState state, Clock clock) {
        RegistryApplier applier =
                new RegistryApplier(target, state, state, TARGET, Clock.systemUTC(), Duration.ofMinutes(15));
        return new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY, state, applier, state, new ReplicationProgress(), clock);
    }

    private static StreamReplicator<DeviceRecord> replicator(
            ModelStream stream, InMemoryLeases leases, ReplicationIntake intake, String worker, Clock clock) {
        return new StreamReplicator<>(
                SourceFleet.ORIGIN,
                stream,
                leases,
                leases,
                intake,
                new StreamReplicator.Settings(worker, Duration.ofSeconds(10), 3, 4, Duration.ofHours(24)),
                clock,
                new StreamGaps(() -> {}));
    }
}
