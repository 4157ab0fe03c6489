package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
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
                new RegistryApplier(target, state, state, Region.of("eu-west-1")),
                state,
                new ReplicationProgress(),
                Clock.systemUTC());

        for (DeviceRecord record : deliveries) {
            intake.accept(SourceFleet.ORIGIN, record);
        }

        assertThat(Convergence.violations(source.current(), source.written(), target))
                .isEmpty();
    }
}
