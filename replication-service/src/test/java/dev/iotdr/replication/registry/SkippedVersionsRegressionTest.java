package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
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

/** Cases the property tests found, kept as examples. */
class SkippedVersionsRegressionTest {

    @Test
    void decommissionAndReonboardingSeenOutOfOrderLeaveNoOldCertificateActive() {
        SourceFleet source = new SourceFleet();
        for (SourceFleet.Operation operation : List.of(
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.DECOMMISSION,
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.DECOMMISSION,
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.ONBOARD_OR_UPDATE,
                SourceFleet.Operation.ONBOARD_OR_UPDATE)) {
            source.apply(0, operation);
        }
        List<DeviceRecord> deliveries = new ArrayList<>(source.written());
        Random random = new Random(193);
        for (DeviceRecord record : source.written()) {
            if (random.nextBoolean()) {
                deliveries.add(record);
            }
        }
        Collections.shuffle(deliveries, random);
        InMemoryIot target = new InMemoryIot("eu-west-1");
        InMemoryState state = new InMemoryState();
        ReplicationIntake intake = new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY,
                state,
                new RegistryApplier(
                        target, state, state, Region.of("eu-west-1"), Clock.systemUTC(), Duration.ofMinutes(15)),
                state,
                new ReplicationProgress(),
                Clock.systemUTC());

        for (DeviceRecord record : deliveries) {
            intake.accept(SourceFleet.ORIGIN, record);
        }

        assertThat(Convergence.violations(source.current(), source.written(), target))
                .isEmpty();
    }

    @Test
    void aRegionRebuiltFromScratchAppliesTheRecordsItWroteItselfBeforeItsStateBegan() {
        SourceFleet fleet = new SourceFleet(); // writes as us-east-1
        DeviceRecord written =
                fleet.apply(0, SourceFleet.Operation.ONBOARD_OR_UPDATE).orElseThrow();
        InMemoryIot rebuilt = new InMemoryIot("us-east-1");
        InMemoryState state = new InMemoryState();
        state.beganAt(written.updatedAt().plusSeconds(60)); // the region came back empty after the write
        ReplicationIntake intake = new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY,
                state,
                new RegistryApplier(
                        rebuilt, state, state, SourceFleet.ORIGIN, Clock.systemUTC(), Duration.ofMinutes(15)),
                state,
                new ReplicationProgress(),
                Clock.systemUTC());

        assertThat(intake.accept(Region.of("eu-west-1"), written)).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(Convergence.violations(fleet.current(), fleet.written(), rebuilt))
                .isEmpty();

        InMemoryState fresh = new InMemoryState();
        fresh.beganAt(written.updatedAt().minusSeconds(60)); // state older than the write: onboarding did it
        ReplicationIntake normal = new ReplicationIntake(
                ReplicationIntake.Mode.TABLE_COPY,
                fresh,
                new RegistryApplier(
                        new InMemoryIot("us-east-1"),
                        fresh,
                        fresh,
                        SourceFleet.ORIGIN,
                        Clock.systemUTC(),
                        Duration.ofMinutes(15)),
                fresh,
                new ReplicationProgress(),
                Clock.systemUTC());
        assertThat(normal.accept(Region.of("eu-west-1"), written)).isEqualTo(ApplyOutcome.SKIPPED_OWN_REGION);
    }
}
