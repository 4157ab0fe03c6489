package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.replication.registry.application.RegionRegistry.RegisteredCertificate;
import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * This region's onboarding attaches a rotation's or re-onboarding's new certificate INACTIVE and activates
 * it only after writing the record that names it. An apply of an older record meanwhile (a lagging stream
 * record, an audit repair, a re-sync) must leave that certificate alone, and must still retire at once any
 * unnamed ACTIVE certificate and, after the grace, an unnamed INACTIVE one nobody recorded.
 */
class PendingCertificateTest {
    private static final Region HERE = Region.of("eu-west-1");
    private static final Duration GRACE = Duration.ofMinutes(15);

    private final MovableClock clock = new MovableClock();
    private final InMemoryIot iot = new InMemoryIot(HERE.code(), clock);
    private final InMemoryState state = new InMemoryState();
    private final RegistryApplier applier = new RegistryApplier(iot, state, state, HERE, clock, GRACE);
    private final SourceFleet fleet = new SourceFleet(); // records written in us-east-1

    @Test
    void aCertificateAttachedButNotYetRecordedHereIsLeftAloneUntilTheGracePasses() {
        DeviceRecord record = replicated(
                fleet.apply(0, SourceFleet.Operation.ONBOARD_OR_UPDATE).orElseThrow());
        ThingName thing = record.thingName();
        String current = arnHere(record);

        RegisteredCertificate pending = attachAsARotationHereDoes(thing, "rotation");
        assertThat(applier.applyForced(record.deviceId())).isEqualTo(ApplyOutcome.APPLIED);

        assertThat(iot.things().get(thing).principals()).containsExactlyInAnyOrder(current, pending.arn());
        assertThat(iot.policiesOf(pending.arn())).contains(SourceFleet.POLICY.value());
        assertThat(iot.certificates().get(pending.id()).status()).isEqualTo(CertificateStatus.INACTIVE);

        clock.advance(Duration.ofMinutes(10));
        RegisteredCertificate active = iot.ensureCertificate(pem("stray-active"), CertificateStatus.ACTIVE);
        iot.attachThingPrincipal(thing, active.arn());
        applier.applyForced(record.deviceId());
        assertThat(iot.certificates().get(active.id()).status())
                .as("an unnamed ACTIVE certificate is retired at once, however young")
                .isEqualTo(CertificateStatus.INACTIVE);
        assertThat(iot.things().get(thing).principals()).containsExactlyInAnyOrder(current, pending.arn());

        clock.advance(GRACE.minus(Duration.ofMinutes(10)).plusSeconds(1));
        applier.applyForced(record.deviceId());
        assertThat(iot.things().get(thing).principals())
                .as("nobody recorded it within the grace: detached")
                .containsExactly(current);
        assertThat(iot.policiesOf(pending.arn())).isEmpty();
        assertThat(iot.certificates().get(record.certificate().id()).status()).isEqualTo(CertificateStatus.ACTIVE);
    }

    @Test
    void aDecommissionKeepsTheThingWhileAReOnboardingHereHasAPendingCertificateOnIt() {
        DeviceRecord onboarded = replicated(
                fleet.apply(0, SourceFleet.Operation.ONBOARD_OR_UPDATE).orElseThrow());
        ThingName thing = onboarded.thingName();
        DeviceRecord tombstone =
                fleet.apply(0, SourceFleet.Operation.DECOMMISSION).orElseThrow();
        state.copyIfNewer(tombstone);
        RegisteredCertificate pending = attachAsARotationHereDoes(thing, "re-onboarding");

        assertThat(applier.apply(tombstone.deviceId())).isEqualTo(ApplyOutcome.APPLIED);

        assertThat(iot.things()).as("the re-onboarding's thing is kept").containsKey(thing);
        assertThat(iot.things().get(thing).principals()).containsExactly(pending.arn());
        assertThat(iot.certificates().get(onboarded.certificate().id()).status())
                .isEqualTo(CertificateStatus.INACTIVE);

        clock.advance(GRACE.plusSeconds(1));
        applier.applyForced(tombstone.deviceId()); // an audit repair, later

        assertThat(iot.things()).doesNotContainKey(thing);
        assertThat(iot.certificates().get(pending.id()).status()).isEqualTo(CertificateStatus.INACTIVE);
    }

    private DeviceRecord replicated(DeviceRecord record) {
        state.copyIfNewer(record);
        assertThat(applier.apply(record.deviceId())).isEqualTo(ApplyOutcome.APPLIED);
        return record;
    }

    /** What this region's onboarding does before it writes the record: attached, with its policy, INACTIVE. */
    private RegisteredCertificate attachAsARotationHereDoes(ThingName thing, String name) {
        RegisteredCertificate certificate = iot.ensureCertificate(pem(name), CertificateStatus.INACTIVE);
        iot.attachPolicy(SourceFleet.POLICY, certificate.arn());
        iot.attachThingPrincipal(thing, certificate.arn());
        return certificate;
    }

    private String arnHere(DeviceRecord record) {
        return iot.certificates().get(record.certificate().id()).arn();
    }

    private static String pem(String name) {
        return "-----BEGIN CERTIFICATE-----\nMII" + name + "\n-----END CERTIFICATE-----\n";
    }
}
