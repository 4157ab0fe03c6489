package dev.iotdr.shared.domain;

import static dev.iotdr.shared.domain.DeviceFixtures.EU_WEST_1;
import static dev.iotdr.shared.domain.DeviceFixtures.T0;
import static dev.iotdr.shared.domain.DeviceFixtures.US_EAST_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class DeviceRecordTest {

    @Test
    void onboardedRecordIsVersionOneActiveAndFromTheOnboardingRegion() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        assertThat(record.version()).isEqualTo(1);
        assertThat(record.status()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(record.originRegion()).isEqualTo(US_EAST_1);
        assertThat(record.thingName()).isEqualTo(ThingName.of("sensor-1"));
        assertThat(record.isTombstone()).isFalse();
    }

    @Test
    void decommissionIsATombstoneWithAHigherVersionAndAnInactiveCertificate() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        DeviceRecord tombstone = record.decommissioned(EU_WEST_1, T0.plusSeconds(60));
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.version()).isEqualTo(2);
        assertThat(tombstone.originRegion()).isEqualTo(EU_WEST_1);
        assertThat(tombstone.certificate().status()).isEqualTo(CertificateStatus.INACTIVE);
        assertThat(tombstone.certificate().id()).isEqualTo(record.certificate().id());
        assertThat(tombstone.supersedes(record)).isTrue();
        assertThat(record.supersedes(tombstone)).isFalse();
        assertThatThrownBy(() -> tombstone.decommissioned(US_EAST_1, T0)).hasMessageContaining("already");
    }

    @Test
    void rotationRetiresTheOldCertificateInactiveAndKeepsTheNewestLast() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        DeviceCertificate second = DeviceFixtures.certificate('b', CertificateStatus.ACTIVE);
        DeviceCertificate third = DeviceFixtures.certificate('c', CertificateStatus.ACTIVE);
        DeviceRecord rotated = record.withRotatedCertificate(second, US_EAST_1, T0.plusSeconds(1))
                .withRotatedCertificate(third, US_EAST_1, T0.plusSeconds(2));
        assertThat(rotated.version()).isEqualTo(3);
        assertThat(rotated.certificate()).isEqualTo(third);
        assertThat(rotated.retiredCertificates())
                .containsExactly(
                        new RetiredCertificate(record.certificate().id(), CertificateStatus.INACTIVE),
                        new RetiredCertificate(second.id(), CertificateStatus.INACTIVE));
        assertThatThrownBy(() -> rotated.withRotatedCertificate(third, US_EAST_1, T0))
                .hasMessageContaining("new certificate");
    }

    @Test
    void retiredCertificatesAreBoundedDroppingTheOldest() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        char[] fills = "0123456789bcdefbcdef01234".toCharArray();
        DeviceRecord current = record;
        for (int i = 0; i < 25; i++) {
            String id = String.format("%064x", i + 1000);
            current = current.withRotatedCertificate(
                    new DeviceCertificate(
                            CertificateId.of(id),
                            "arn:aws:iot:us-east-1:123456789012:cert/" + id,
                            "-----BEGIN CERTIFICATE-----\nMII" + fills[i] + "\n-----END CERTIFICATE-----",
                            CertificateStatus.ACTIVE),
                    US_EAST_1,
                    T0.plusSeconds(i));
        }
        assertThat(current.retiredCertificates()).hasSize(DeviceRecord.MAX_RETIRED_CERTIFICATES);
        assertThat(current.retiredCertificates().getLast().id().value()).isEqualTo(String.format("%064x", 1023));
        assertThat(current.version()).isEqualTo(26);
    }

    @Test
    void updatedAtNeverGoesBackWhenAnotherRegionsClockIsBehind() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        DeviceRecord tombstone = record.decommissioned(EU_WEST_1, T0.minusSeconds(30));
        assertThat(tombstone.updatedAt()).isEqualTo(T0);
    }

    @Test
    void registryDataChangeIsANewVersion() {
        DeviceRecord record = DeviceFixtures.onboarded("sensor-1");
        DeviceRecord changed = record.withRegistryData(
                Set.of(ThingGroupName.of("sensors"), ThingGroupName.of("floor-2")),
                ThingAttributes.of(Map.of("model", "th-300")),
                EU_WEST_1,
                T0.plusSeconds(5));
        assertThat(changed.version()).isEqualTo(2);
        assertThat(changed.thingGroups()).containsExactly(ThingGroupName.of("floor-2"), ThingGroupName.of("sensors"));
        assertThat(changed.attributes().values()).containsExactly(Map.entry("model", "th-300"));
    }

    @Test
    void invariantsAreCheckedAtConstruction() {
        DeviceRecord r = DeviceFixtures.onboarded("sensor-1");
        assertThatThrownBy(() -> new DeviceRecord(
                        r.deviceId(),
                        r.thingName(),
                        r.thingGroups(),
                        r.attributes(),
                        r.certificate(),
                        List.of(),
                        r.policyName(),
                        DeviceStatus.DECOMMISSIONED,
                        2,
                        r.originRegion(),
                        r.createdAt(),
                        r.updatedAt()))
                .hasMessageContaining("cannot keep an ACTIVE certificate");
        assertThatThrownBy(() -> new DeviceRecord(
                        r.deviceId(),
                        r.thingName(),
                        r.thingGroups(),
                        r.attributes(),
                        r.certificate(),
                        List.of(),
                        r.policyName(),
                        r.status(),
                        0,
                        r.originRegion(),
                        r.createdAt(),
                        r.updatedAt()))
                .hasMessageContaining("version must be 1 or more");
        assertThatThrownBy(() -> new DeviceRecord(
                        r.deviceId(),
                        r.thingName(),
                        r.thingGroups(),
                        r.attributes(),
                        r.certificate(),
                        List.of(new RetiredCertificate(r.certificate().id(), CertificateStatus.INACTIVE)),
                        r.policyName(),
                        r.status(),
                        1,
                        r.originRegion(),
                        r.createdAt(),
                        r.updatedAt()))
                .hasMessageContaining("both current and retired");
        assertThatThrownBy(() -> new DeviceRecord(
                        r.deviceId(),
                        r.thingName(),
                        r.thingGroups(),
                        r.attributes(),
                        r.certificate(),
                        List.of(),
                        r.policyName(),
                        r.status(),
                        1,
                        r.originRegion(),
                        r.createdAt(),
                        r.createdAt().minusMillis(1)))
                .hasMessageContaining("before created at");
        assertThatThrownBy(() -> new RetiredCertificate(r.certificate().id(), CertificateStatus.ACTIVE))
                .hasMessageContaining("cannot be ACTIVE");
    }

    @Test
    void aCertificatesArnInAnotherRegionDiffersOnlyInTheRegion() {
        DeviceCertificate certificate = DeviceFixtures.certificate('d', CertificateStatus.ACTIVE);
        assertThat(certificate.arnIn(EU_WEST_1)).isEqualTo("arn:aws:iot:eu-west-1:123456789012:cert/" + "d".repeat(64));
        assertThat(certificate.arnIn(US_EAST_1)).isEqualTo(certificate.arn());
    }

    @Test
    void recordsOfDifferentDevicesAreNotComparable() {
        assertThatThrownBy(() -> DeviceFixtures.onboarded("a").supersedes(DeviceFixtures.onboarded("b")))
                .hasMessageContaining("cannot compare");
    }

    @Test
    void precedenceIsATotalAntisymmetricTransitiveOrderAndSupersedesFollowsIt() {
        qt().withExamples(2000).forAll(rivals(), rivals(), rivals()).checkAssert((a, b, c) -> {
            int ab = Integer.signum(DeviceRecord.PRECEDENCE.compare(a, b));
            assertThat(Integer.signum(DeviceRecord.PRECEDENCE.compare(b, a))).isEqualTo(-ab);
            assertThat(ab == 0).as("equal only as the same record").isEqualTo(sameRank(a, b));
            if (ab > 0 && DeviceRecord.PRECEDENCE.compare(b, c) > 0) {
                assertThat(DeviceRecord.PRECEDENCE.compare(a, c)).isPositive();
            }
            assertThat(a.supersedes(b)).isEqualTo(ab > 0);
            assertThat(b.supersedes(a)).isEqualTo(ab < 0);
        });
    }

    @Test
    void tieKeysOfOneVersionSortAsPrecedenceSortsTheRecords() {
        qt().withExamples(2000).forAll(rivals(), rivals()).checkAssert((a, b) -> {
            if (a.version() == b.version()) {
                assertThat(Integer.signum(a.tieKey().compareTo(b.tieKey())))
                        .as("%s vs %s", a.tieKey(), b.tieKey())
                        .isEqualTo(Integer.signum(DeviceRecord.PRECEDENCE.compare(a, b)));
            }
        });
    }

    @Test
    void atAnEqualVersionATombstoneWinsThenTheHigherRegionThenTheHigherCertificate() {
        DeviceRecord liveInUs = rival(2, DeviceStatus.ACTIVE, "us-gov-west-1", 'f');
        DeviceRecord tombstoneInEu = rival(2, DeviceStatus.DECOMMISSIONED, "eu-west-1", 'a');
        assertThat(tombstoneInEu.supersedes(liveInUs)).isTrue();
        assertThat(liveInUs.supersedes(tombstoneInEu)).isFalse();

        DeviceRecord us = rival(1, DeviceStatus.ACTIVE, "us-east-1", 'a');
        DeviceRecord eu = rival(1, DeviceStatus.ACTIVE, "eu-west-1", 'f');
        assertThat(us.supersedes(eu)).isTrue();
        assertThat(rival(1, DeviceStatus.ACTIVE, "us-east-10", 'a').supersedes(us))
                .isTrue();
        assertThat(rival(1, DeviceStatus.ACTIVE, "us-east-1", 'b').supersedes(us))
                .isTrue();
        assertThat(us.supersedes(us)).as("a duplicate replaces nothing").isFalse();
        assertThat(rival(2, DeviceStatus.ACTIVE, "eu-west-1", 'a').supersedes(tombstoneInEu))
                .isFalse();
        assertThat(rival(3, DeviceStatus.ACTIVE, "eu-west-1", 'a').supersedes(tombstoneInEu))
                .as("a newer version always wins")
                .isTrue();
    }

    /** Records of one device from a small space, so that equal versions, regions and certificates are common. */
    private static Gen<DeviceRecord> rivals() {
        return integers()
                .between(1, 3)
                .zip(
                        Generate.enumValues(DeviceStatus.class),
                        Generate.pick(List.of("us-east-1", "us-east-10", "eu-west-1", "us-gov-west-1")),
                        Generate.pick(List.of('a', 'b', 'f')),
                        DeviceRecordTest::rival);
    }

    private static DeviceRecord rival(long version, DeviceStatus status, String origin, char certificate) {
        DeviceRecord base = DeviceFixtures.onboarded("sensor-1");
        return new DeviceRecord(
                base.deviceId(),
                base.thingName(),
                base.thingGroups(),
                base.attributes(),
                DeviceFixtures.certificate(
                        certificate,
                        status == DeviceStatus.ACTIVE ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE),
                List.of(),
                base.policyName(),
                status,
                version,
                Region.of(origin),
                base.createdAt(),
                base.updatedAt());
    }

    private static boolean sameRank(DeviceRecord a, DeviceRecord b) {
        return a.version() == b.version()
                && a.status() == b.status()
                && a.originRegion().equals(b.originRegion())
                && a.certificate().id().equals(b.certificate().id());
    }
}
