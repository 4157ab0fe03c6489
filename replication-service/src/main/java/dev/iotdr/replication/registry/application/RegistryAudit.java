package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.RegionRegistry.CertificateView;
import dev.iotdr.replication.registry.application.RegionRegistry.ThingView;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.application.UseCases.AuditRegistry;
import dev.iotdr.replication.registry.application.UseCases.AuditReport;
import dev.iotdr.replication.registry.application.UseCases.CheckReadiness;
import dev.iotdr.replication.registry.domain.Drift;
import dev.iotdr.replication.registry.domain.DriftKind;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compares this region's device table with its registry, device by device, and optionally repairs what
 * differs by applying the record again (forced). Also answers whether one device is connect-ready here.
 */
public final class RegistryAudit implements AuditRegistry, CheckReadiness {
    private final RegionRegistry registry;
    private final LocalDeviceTable table;
    private final AppliedVersions applied;
    private final ApplyRegistryRecord applier;
    private final Region self;
    private final Clock clock;
    private final AtomicReference<AuditReport> last = new AtomicReference<>();

    public RegistryAudit(
            RegionRegistry registry,
            LocalDeviceTable table,
            AppliedVersions applied,
            ApplyRegistryRecord applier,
            Region self,
            Clock clock) {
        this.registry = registry;
        this.table = table;
        this.applied = applied;
        this.applier = applier;
        this.self = self;
        this.clock = clock;
    }

    @Override
    public AuditReport audit(boolean repair) {
        List<Drift> drift = new ArrayList<>();
        Set<ThingName> recorded = new HashSet<>();
        int[] checked = {0};
        int[] repaired = {0};
        table.forEach(record -> {
            checked[0]++;
            recorded.add(record.thingName());
            List<Drift> found = check(record);
            drift.addAll(found);
            if (repair && !found.isEmpty()) {
                applier.applyForced(record.deviceId());
                repaired[0]++;
            }
        });
        for (ThingName thing : registry.fleetThings()) {
            if (!recorded.contains(thing)) {
                // No record at all: maybe an onboarding in flight here (its thing exists before its record).
                // Reported, never deleted by a repair; the onboarding saga's own sweeper owns it.
                drift.add(new Drift(thing.value(), DriftKind.EXTRA, "thing has no record in this region's table"));
            }
        }
        AuditReport report = new AuditReport(clock.instant(), checked[0], drift, repaired[0]);
        last.set(report);
        return report;
    }

    /** The last audit's report, if any ran since start. */
    public Optional<AuditReport> lastReport() {
        return Optional.ofNullable(last.get());
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

    private List<Drift> check(DeviceRecord record) {
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
        if (!record.originRegion().equals(self) && applied.get(record.deviceId()) < record.version()) {
            drift.add(new Drift(
                    id,
                    DriftKind.STALE_VERSION,
                    "applied version " + applied.get(record.deviceId()) + " is older than " + record.version()));
        }
        return drift;
    }

    private static boolean samePem(String a, String b) {
        return a.replaceAll("\\s", "").equals(b.replaceAll("\\s", ""));
    }
}
