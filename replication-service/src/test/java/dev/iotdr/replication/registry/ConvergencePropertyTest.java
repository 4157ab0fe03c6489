package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.InMemoryStream;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
        InMemoryStream stream = new InMemoryStream();
        InMemoryIot target = new InMemoryIot(TARGET.code());
        InMemoryState state = new InMemoryState();
        MovableClock clock = new MovableClock();
        ReplicationIntake intake = intake(target, state, clock);
        StreamReplicator worker = replicator(stream, intake, "worker-1", clock);
        int workers = 1;

        for (Step step : scenario) {
            switch (step.kind()) {
                case WRITE -> source.apply(step.device(), step.operation()).ifPresent(stream::append);
                case POLL -> worker.poll();
                case DUPLICATE -> stream.duplicateLast();
                case LOSE_CHECKPOINT ->
                    stream.rollBackCheckpoint(Math.min(stream.checkpoint(), step.amount() % (stream.checkpoint() + 1)));
                case RESTART_WORKER -> {
                    clock.advance(Duration.ofSeconds(30)); // the old worker's lease expires
                    worker = replicator(stream, intake, "worker-" + (++workers), clock);
                }
            }
        }
        for (int i = 0; i < 5; i++) {
            worker.poll();
        }

        assertThat(stream.checkpoint()).isEqualTo(stream.size());
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
                .forEach((device, record) -> assertThat(state.get(device)).isEqualTo(record.version()));
    }

    private static ReplicationIntake intake(InMemoryIot target, InMemoryState state, Clock clock) {
        RegistryApplier applier = new RegistryApplier(target, state, state, TARGET);
        return new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY, state, applier, state, new ReplicationProgress(), clock);
    }

    private static StreamReplicator replicator(
            InMemoryStream stream, ReplicationIntake intake, String worker, Clock clock) {
        return new StreamReplicator(
                SourceFleet.ORIGIN, stream, stream, intake, worker, Duration.ofSeconds(10), 3, clock);
    }

    /** A clock that moves only when told to. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
