package dev.iotdr.replication.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.stream.application.ReplicationLag;
import dev.iotdr.replication.stream.application.ReplicationLag.SourceLag;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.replication.stream.application.StreamShards;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryLeases;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.ModelStream;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lag the failover's RPO rule reads: shared, honest while the reader fails, unknown only with a cause. */
class ReplicationLagTest {
    private static final Region TARGET = Region.of("eu-west-1");

    private final MovableClock clock = new MovableClock();
    private final ModelStream model = new ModelStream(clock, new Random(7), 0);
    private final FailingStream stream = new FailingStream(model);
    private final InMemoryLeases leases = new InMemoryLeases();
    private final InMemoryIot target = new InMemoryIot(TARGET.code());
    private final InMemoryState state = new InMemoryState();
    private final SourceFleet source = new SourceFleet();
    private final StreamReplicator<DeviceRecord> reader = new StreamReplicator<>(
            SourceFleet.ORIGIN,
            stream,
            leases,
            leases,
            new ReplicationIntake(
                    ReplicationIntake.Mode.TABLE_COPY,
                    state,
                    new RegistryApplier(target, state, state, TARGET, Clock.systemUTC(), Duration.ofMinutes(15)),
                    state,
                    new ReplicationProgress(),
                    clock),
            new StreamReplicator.Settings("worker-1", Duration.ofSeconds(10), 3, 4, Duration.ofHours(24)),
            clock,
            new StreamGaps(() -> {}));
    private volatile Optional<String> catchingUp = Optional.empty();
    private final ReplicationLag lag = new ReplicationLag(leases, leases, () -> catchingUp, clock);

    @AfterEach
    void close() {
        reader.close();
    }

    @Test
    void beforeAnyReadTheLagIsUnknownAndSaysWhy() {
        SourceLag unknown = lag.of(SourceFleet.ORIGIN);

        assertThat(unknown.lagMillis()).isEmpty();
        assertThat(unknown.unknownBecause())
                .hasValueSatisfying(why -> assertThat(why).contains("us-east-1"));
    }

    @Test
    void aReaderThatKeepsUpShowsALagOfAFewPolls() {
        write(3);
        for (int i = 0; i < 6; i++) {
            reader.poll();
            clock.advance(Duration.ofMillis(250));
        }

        assertThat(lag.of(SourceFleet.ORIGIN).lagMillis())
                .hasValueSatisfying(l -> assertThat(l).isBetween(1L, 1_000L));
    }

    @Test
    void whileTheReaderFailsTheLagGrowsFromTheLastSuccessfulReadAndIsNeverZero() {
        write(2);
        reader.poll(); // caught up
        stream.failing = true;
        write(1); // written while the source cannot be read

        for (int second = 1; second <= 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(reader.poll()).isZero();
            assertThat(lag.of(SourceFleet.ORIGIN).lagMillis())
                    .as("after %d s of failing reads", second)
                    .contains(second * 1000L);
        }

        stream.failing = false;
        reader.poll(); // applies what was written during the outage (10 s ago)
        assertThat(lag.of(SourceFleet.ORIGIN).lagMillis()).contains(10_000L);
        for (int i = 0; i < 4; i++) { // empty answers in a row: the shard was read to its end
            clock.advance(Duration.ofMillis(250));
            reader.poll();
        }
        // ... as of the first of those four answers, three polls ago: never closer than it knows.
        assertThat(lag.of(SourceFleet.ORIGIN).lagMillis()).contains(750L);
    }

    @Test
    void aWorkerThatDiesMidStreamLeavesALagThatGrowsUntilAnotherTakesOver() {
        write(2);
        reader.poll();
        clock.advance(Duration.ofSeconds(30)); // nobody polls for 30 s: nothing is known to be applied since

        assertThat(lag.of(SourceFleet.ORIGIN).lagMillis()).contains(30_000L);
    }

    @Test
    void theSameFigureFromEveryInstance() {
        write(2);
        reader.poll();
        clock.advance(Duration.ofSeconds(2));
        ReplicationLag anotherInstance = new ReplicationLag(leases, leases, Optional::empty, clock);

        assertThat(anotherInstance.of(SourceFleet.ORIGIN)).isEqualTo(lag.of(SourceFleet.ORIGIN));
    }

    @Test
    void whileACatchUpRunsTheLagIsUnknownAndSaysSo() {
        write(2);
        reader.poll();
        catchingUp = Optional.of("job job-1, 10 scanned");

        SourceLag during = lag.of(SourceFleet.ORIGIN);

        assertThat(during.lagMillis()).isEmpty();
        assertThat(during.unknownBecause())
                .hasValueSatisfying(why -> assertThat(why).contains("catch-up"));
    }

    @Test
    void aSourceWhoseTableIsGoneBeforeItsStreamWasReadKeepsAGrowingLag() {
        write(2);
        reader.poll();
        stream.tableGone = true; // the source region came back empty: no table, no stream yet

        for (int second = 1; second <= 5; second++) {
            clock.advance(Duration.ofSeconds(1));
            reader.poll();
            assertThat(lag.of(SourceFleet.ORIGIN).lagMillis())
                    .as("after %d s without the source's table", second)
                    .hasValueSatisfying(l -> assertThat(l).isGreaterThanOrEqualTo(1000L * 1));
        }
        assertThat(lag.of(SourceFleet.ORIGIN).lagMillis())
                .hasValueSatisfying(l -> assertThat(l).isGreaterThanOrEqualTo(5_000L));
    }

    private void write(int devices) {
        for (int i = 0; i < devices; i++) {
            source.apply(i, SourceFleet.Operation.ONBOARD_OR_UPDATE).ifPresent(model::append);
        }
    }

    /** The model stream, or a source region that cannot serve. */
    static final class FailingStream implements StreamShards<DeviceRecord> {
        private final ModelStream real;
        volatile boolean failing;
        volatile boolean tableGone;

        FailingStream(ModelStream real) {
            this.real = real;
        }

        private void check() {
            if (tableGone) {
                throw new ShardGoneException("the source table and its stream are gone", null);
            }
            if (failing) {
                throw new DependencyUnavailableException(
                        "dynamodb streams in us-east-1", "injected outage", Duration.ofSeconds(1), null);
            }
        }

        @Override
        public Optional<String> latestStreamArn() {
            if (tableGone) {
                return Optional.empty();
            }
            check();
            return real.latestStreamArn();
        }

        @Override
        public List<Shard> shards(String streamArn) {
            check();
            return real.shards(streamArn);
        }

        @Override
        public String iterator(String streamArn, String shardId, Optional<String> checkpoint) {
            check();
            return real.iterator(streamArn, shardId, checkpoint);
        }

        @Override
        public String oldestIterator(String streamArn, String shardId) {
            check();
            return real.oldestIterator(streamArn, shardId);
        }

        @Override
        public Batch<DeviceRecord> read(String iterator, int limit) {
            check();
            return real.read(iterator, limit);
        }
    }
}
