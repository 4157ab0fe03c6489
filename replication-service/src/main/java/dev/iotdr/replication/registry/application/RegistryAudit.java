package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.RegionRegistry.CertificateView;
import dev.iotdr.replication.registry.application.RegionRegistry.ThingView;
import dev.iotdr.replication.registry.application.UseCases.CheckReadiness;
import dev.iotdr.replication.registry.domain.Drift;
import dev.iotdr.replication.registry.domain.DriftKind;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares one device's record with this region's registry: the check an audit job runs per record, and
 * the answer to whether one device is connect-ready here.
 */
public final class RegistryAudit implements CheckReadiness {
    private final RegionRegistry registry;
    private final LocalDeviceTable table;
    private final AppliedVersions applied;
    private final Region self;

    public RegistryAudit(RegionRegistry registry, LocalDeviceTable table, AppliedVersions applied, Region self) {
        this.registry = registry;
        this.table = table;
        this.applied = applied;
        this.self = self;
    }

    @Override
    public Readiness readiness(DeviceId device) {
        Optional<DeviceRecord> record = table.find(device);
        if (record.isEmpty()) {
            return new Readiness(device.value(), self.code(), false, 0, List.of("no record in this region's table"));
        }
        List<String> problems = new ArrayList<>();
        if (record.get().isTombstone()) {
            problems.add("device is decommissioned");
        }
        check(record.get()).forEach(found -> problems.add(found.kind() + ": " + found.detail()));
        return new Readiness(
                device.value(), self.code(), problems.isEmpty(), record.get().version(), problems);
    }

    /** Where the registry differs from {@code record}; empty when it matches. */
    List<Drift> check(DeviceRecord record) {
        List<Drift> drift = new ArrayList<>();
        String id = record.deviceId().value();
        Optional<ThingView> thing = registry.describeThing(record.thingName());
        Optional<CertificateView> certificate =
                registry.describeCertificate(record.certificate().id());
        if (record.isTombstone()) {
            thing.ifPresent(
                    present -> drift.add(new Drift(id, DriftKind.EXTRA, "decommissioned device still has a thing")));
            certificate
                    .filter(view -> view.status() == CertificateStatus.ACTIVE)
                    .ifPresent(view -> drift.add(new Drift(
                            id, DriftKind.CERTIFICATE_STATUS, "decommissioned device's certificate is ACTIVE")));
            return drift;
        }
        if (thing.isEmpty()) {
            drift.add(new Drift(id, DriftKind.MISSING, "thing " + record.thingName() + " does not exist"));
        } else if (!thing.get().attributes().equals(record.attributes())
                || !thing.get().groups().containsAll(record.thingGroups())) {
            drift.add(new Drift(
                    id, DriftKind.ATTRIBUTES, "thing attributes or groups differ from version " + record.version()));
        }
        if (certificate.isEmpty()) {
            drift.add(new Drift(
                    id,
                    DriftKind.CERTIFICATE_STATUS,
                    "certificate " + record.certificate().id() + " is not registered"));
        } else {
            if (certificate.get().status() != record.certificate().status()) {
                drift.add(new Drift(
                        id,
                        DriftKind.CERTIFICATE_STATUS,
                        "certificate is " + certificate.get().status() + ", record says "
                                + record.certificate().status()));
            }
            if (!samePem(certificate.get().pem(), record.certificate().pem())) {
                drift.add(new Drift(
                        id, DriftKind.CERTIFICATE_STATUS, "registered certificate PEM differs from the record's"));
            }
            if (!registry.policyAttached(record.policyName(), certificate.get().arn())) {
                drift.add(new Drift(
                        id, DriftKind.POLICY_NOT_ATTACHED, "policy " + record.policyName() + " not attached"));
            }
            if (thing.isPresent()
                    && !thing.get().principals().contains(certificate.get().arn())) {
                drift.add(new Drift(id, DriftKind.PRINCIPAL_NOT_ATTACHED, "certificate not attached to the thing"));
            }
        }
        RecordRank held = applied.get(record.deviceId());
        boolean behind = !record.originRegion().equals(self) && held.version() < record.version();
        boolean rivalHeld = held.version() == record.version() && !held.standsFor(record);
        if (behind || rivalHeld) {
            drift.add(new Drift(
                    id, DriftKind.STALE_VERSION, "applied " + held + " is not the table's " + RecordRank.of(record)));
        }
        return drift;
    }

    private static boolean samePem(String a, String b) {
        return a.replaceAll("\\s", "").equals(b.replaceAll("\\s", ""));
    }
}
