package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.support.Convergence;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two regions that accepted the same device at once (around a failover, or a stale DNS answer), each with
 * its own record of the same version and its own certificate ACTIVE in its registry: once the records meet,
 * in any order and with duplicates, both tables hold the record that ranks first and each registry has
 * exactly its certificate, the other one retired.
 */
class ConcurrentOnboardingTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final DeviceId DEVICE = DeviceId.of("sensor-7");
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void twoRegionsThatOnboardedTheSameDeviceEndWithTheSameRecordAndOneActiveCertificate() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            Peer us = new Peer(US, ReplicationIntake.Mode.TABLE_COPY);
            Peer eu = new Peer(EU, ReplicationIntake.Mode.TABLE_COPY);
            DeviceRecord inUs = us.onboard(certificate("us", US));
            DeviceRecord inEu = eu.onboard(certificate("eu", EU));

            exchange(us, eu, new Random(seed));

            DeviceRecord winner = inUs.supersedes(inEu) ? inUs : inEu;
            assertThat(winner).as("us-east-1 ranks above eu-west-1").isEqualTo(inUs);
            assertConverged(us, eu, winner, List.of(inUs, inEu));
        });
    }

    @Test
    void whicheverRegionHearsFirstTheSameRecordWinsEverywhere() {
        for (boolean usFirst : List.of(true, false)) {
            Peer us = new Peer(US, ReplicationIntake.Mode.TABLE_COPY);
            Peer eu = new Peer(EU, ReplicationIntake.Mode.TABLE_COPY);
            DeviceRecord inUs = us.onboard(certificate("us", US));
            DeviceRecord inEu = eu.onboard(certificate("eu", EU));

            for (int i = 0; i < 2; i++) { // every record twice
                if (usFirst) {
                    us.intake.accept(EU, inEu);
                    eu.intake.accept(US, inUs);
                } else {
                    eu.intake.accept(US, inUs);
                    us.intake.accept(EU, inEu);
                }
            }

            assertConverged(us, eu, inUs, List.of(inUs, inEu));
        }
    }

    @Test
    void aDecommissionWinsOverARotationOfTheSameVersionInBothRegions() {
        Peer us = new Peer(US, ReplicationIntake.Mode.TABLE_COPY);
        Peer eu = new Peer(EU, ReplicationIntake.Mode.TABLE_COPY);
        DeviceRecord onboarded = us.onboard(certificate("us", US));
        eu.intake.accept(US, onboarded);
        assertThat(Convergence.violations(Map.of(DEVICE, onboarded), List.of(onboarded), eu.iot))
                .isEmpty();

        DeviceRecord decommissioned = onboarded.decommissioned(US, T0.plusSeconds(10));
        us.write(decommissioned);
        us.removeAsDecommissionDoes(onboarded);
        DeviceRecord rotated =
                onboarded.withRotatedCertificate(certificate("rotated-in-eu", EU), EU, T0.plusSeconds(10));
        eu.write(rotated);
        eu.registerAsOnboardingDoes(rotated);

        exchange(us, eu, new Random(7));

        assertThat(decommissioned.supersedes(rotated)).isTrue();
        assertConverged(us, eu, decommissioned, List.of(onboarded, decommissioned, rotated));
    }

    @Test
    void inGlobalTableModeTheRegistryFollowsTheRecordTheTableKeptWhicheverRanksFirst() {
        // AWS's last writer wins between the regions' tables, which may be the lower-ranked record: the
        // registry must follow the table, even where this region had applied its own record of that version.
        Peer eu = new Peer(EU, ReplicationIntake.Mode.GLOBAL_TABLE);
        DeviceRecord inEu = eu.onboard(certificate("eu", EU));
        DeviceRecord inUs = DeviceRecord.onboarded(
                DEVICE,
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.of(Map.of("model", "th-200")),
                certificate("us", US),
                SourceFleet.POLICY,
                US,
                T0.plusSeconds(1));

        eu.state.overwrite(inUs);
        assertThat(eu.intake.accept(EU, inUs)).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(eu.intake.accept(EU, inUs)).isEqualTo(ApplyOutcome.SKIPPED_DUPLICATE);
        assertThat(Convergence.violations(Map.of(DEVICE, inUs), List.of(inUs, inEu), eu.iot))
                .isEmpty();

        eu.state.overwrite(inEu); // the lower-ranked record written last wins in the table
        assertThat(eu.intake.accept(EU, inEu))
                .as("its own record, but the registry holds another of that version")
                .isEqualTo(ApplyOutcome.APPLIED);
        assertThat(Convergence.violations(Map.of(DEVICE, inEu), List.of(inUs, inEu), eu.iot))
                .isEmpty();
    }

    /**
     * Table-copy mode's streams between the two regions, delivered in a random order with duplicates: each
     * region reads the other's stream, which holds every record written to the other's table (its own
     * onboarding's and the ones it copied), until both have read everything.
     */
    private static void exchange(Peer us, Peer eu, Random random) {
        int[] read = new int[2]; // us's position in eu's stream, eu's in us's
        while (read[0] < eu.stream.size() || read[1] < us.stream.size()) {
            boolean usReads = random.nextBoolean();
            Peer reader = usReads ? us : eu;
            Peer source = usReads ? eu : us;
            int position = usReads ? 0 : 1;
            if (read[position] >= source.stream.size()) {
                continue;
            }
            DeviceRecord record = source.stream.get(read[position]);
            reader.receive(source.region, record);
            if (random.nextInt(3) == 0) {
                reader.receive(source.region, record); // a duplicate
            } else {
                read[position]++;
            }
        }
    }

    private static void assertConverged(Peer us, Peer eu, DeviceRecord winner, List<DeviceRecord> everWritten) {
        assertThat(us.state.find(DEVICE)).as("us-east-1's table").contains(winner);
        assertThat(eu.state.find(DEVICE)).as("eu-west-1's table").contains(winner);
        for (Peer region : List.of(us, eu)) {
            assertThat(Convergence.violations(Map.of(DEVICE, winner), everWritten, region.iot))
                    .as("%s's registry", region.region)
                    .isEmpty();
            assertThat(region.iot.certificates().values().stream()
                            .filter(certificate -> certificate.status() == CertificateStatus.ACTIVE)
                            .count())
                    .as("ACTIVE certificates in %s", region.region)
                    .isEqualTo(winner.isTombstone() ? 0 : 1);
        }
    }

    private static DeviceCertificate certificate(String name, Region issuedIn) {
        String pem = "-----BEGIN CERTIFICATE-----\nMII" + name + "\n-----END CERTIFICATE-----\n";
        var id = InMemoryIot.idOf(pem);
        return new DeviceCertificate(
                id,
                "arn:aws:iot:" + issuedIn.code() + ":123456789012:cert/" + id.value(),
                pem,
                CertificateStatus.ACTIVE);
    }

    /** One region: its device table and its stream, replication state, registry and intake. */
    private static final class Peer {
        final Region region;
        final InMemoryState state = new InMemoryState();
        final InMemoryIot iot;
        final ReplicationIntake intake;
        final List<DeviceRecord> stream = new ArrayList<>();

        Peer(Region region, ReplicationIntake.Mode mode) {
            this.region = region;
            MovableClock clock = new MovableClock();
            this.iot = new InMemoryIot(region.code(), clock);
            this.intake = new ReplicationIntake(
                    mode,
                    state,
                    new RegistryApplier(iot, state, state, region, clock, Duration.ofMinutes(15)),
                    state,
                    new ReplicationProgress(),
                    clock);
        }

        /**
         * What onboarding does here: the certificate registered, attached and ACTIVE; the record written. Then
         * this region's replication meets its own record (a catch-up job, or the record coming back through a
         * third region) and records it as applied.
         */
        DeviceRecord onboard(DeviceCertificate certificate) {
            DeviceRecord record = DeviceRecord.onboarded(
                    DEVICE,
                    Set.of(ThingGroupName.of("sensors")),
                    ThingAttributes.of(Map.of("model", "th-200")),
                    certificate,
                    SourceFleet.POLICY,
                    region,
                    T0);
            registerAsOnboardingDoes(record);
            write(record);
            assertThat(intake.accept(region, record)).isEqualTo(ApplyOutcome.SKIPPED_OWN_REGION);
            return record;
        }

        void registerAsOnboardingDoes(DeviceRecord record) {
            record.thingGroups().forEach(iot::ensureThingGroup);
            iot.ensureThing(record.thingName(), record.attributes());
            var registered = iot.ensureCertificate(record.certificate().pem(), CertificateStatus.ACTIVE);
            iot.attachPolicy(record.policyName(), registered.arn());
            iot.attachThingPrincipal(record.thingName(), registered.arn());
            iot.ensureGroups(record.thingName(), record.thingGroups());
            record.retiredCertificates()
                    .forEach(old -> iot.describeCertificate(old.id()).ifPresent(view -> {
                        iot.setCertificateStatus(old.id(), old.status());
                        iot.detachThingPrincipal(record.thingName(), view.arn());
                    }));
        }

        void removeAsDecommissionDoes(DeviceRecord record) {
            iot.describeCertificate(record.certificate().id()).ifPresent(view -> {
                iot.setCertificateStatus(view.id(), CertificateStatus.INACTIVE);
                iot.detachThingPrincipal(record.thingName(), view.arn());
                iot.detachPolicy(record.policyName(), view.arn());
            });
            assertThat(iot.deleteThing(record.thingName())).isTrue();
        }

        /** A write to this region's table by its own onboarding service, which its stream then carries. */
        void write(DeviceRecord record) {
            state.overwrite(record);
            stream.add(record);
        }

        /** A record read from {@code source}'s stream; a copy into this table goes on this region's stream. */
        void receive(Region source, DeviceRecord record) {
            var before = state.find(DEVICE);
            intake.accept(source, record);
            var after = state.find(DEVICE);
            if (!after.equals(before)) {
                stream.add(after.orElseThrow());
            }
        }
    }
}
