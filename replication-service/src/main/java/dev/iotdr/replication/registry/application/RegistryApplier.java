package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.RegionRegistry.CertificateView;
import dev.iotdr.replication.registry.application.RegionRegistry.RegisteredCertificate;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RetiredCertificate;
import dev.iotdr.shared.domain.ThingName;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes this region's registry match a device's record, level-triggered: whatever record a stream event
 * carried, the applier reads the device's current record from this region's table and ensures that. So
 * duplicates, replays and reordering cannot move a device backwards, and a record never needs anything
 * from the region it came from (which may be down).
 *
 * <p>Every step is an idempotent ensure. The applied version per device is recorded with a conditional
 * write that only moves forward; if it does not (another worker applied a newer version meanwhile) or the
 * table moved on while we worked, the applier ensures the latest record again, so the last one to finish
 * always leaves the newest state.
 */
public final class RegistryApplier implements ApplyRegistryRecord {
    private static final int MAX_ROUNDS = 5;
    private static final int LOCK_STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    private final RegionRegistry registry;
    private final LocalDeviceTable table;
    private final AppliedVersions applied;
    private final Region self;

    public RegistryApplier(RegionRegistry registry, LocalDeviceTable table, AppliedVersions applied, Region self) {
        this.registry = registry;
        this.table = table;
        this.applied = applied;
        this.self = self;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public ApplyOutcome apply(DeviceId device) {
        return apply(device, false);
    }

    @Override
    public ApplyOutcome applyForced(DeviceId device) {
        return apply(device, true);
    }

    private ApplyOutcome apply(DeviceId device, boolean force) {
        // One apply per device at a time in this process: a stream batch and a catch-up job that reach the
        // same device serialize, and the second finds it applied instead of spending the quota again.
        ReentrantLock lock = locks[Math.floorMod(device.value().hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return applyLocked(device, force);
        } finally {
            lock.unlock();
        }
    }

    private ApplyOutcome applyLocked(DeviceId device, boolean force) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<DeviceRecord> current = table.find(device);
            if (current.isEmpty()) {
                return ApplyOutcome.SKIPPED_ABSENT;
            }
            DeviceRecord record = current.get();
            if (!force
                    && record.originRegion().equals(self)
                    && record.updatedAt().isAfter(applied.since())) {
                // This region's onboarding provisioned it. (Records this region wrote before its replication
                // state began were provisioned in a registry since rebuilt from scratch: they are applied.)
                applied.advance(device, record.version());
                return ApplyOutcome.SKIPPED_OWN_REGION;
            }
            if (!force && applied.get(device) >= record.version()) {
                return ApplyOutcome.SKIPPED_DUPLICATE;
            }
            ensure(record);
            boolean advanced = applied.advance(device, record.version());
            Optional<DeviceRecord> after = table.find(device);
            boolean unchanged = after.isPresent() && after.get().version() == record.version();
            if (unchanged && (advanced || applied.get(device) == record.version())) {
                return ApplyOutcome.APPLIED;
            }
            force = true; // a newer version arrived, or another worker applied one while we worked
        }
        throw new IllegalStateException("device " + device + " kept changing while being applied");
    }

    /** Ensures the registry holds exactly what {@code record} says. Idempotent. */
    void ensure(DeviceRecord record) {
        ThingName thing = record.thingName();
        if (record.isTombstone()) {
            retire(
                    thing,
                    record,
                    record.certificate().id().value(),
                    record.certificate().status());
            record.retiredCertificates()
                    .forEach(old -> retire(thing, record, old.id().value(), old.status()));
            // A region that skipped versions may hold a certificate neither list names (one from before a
            // decommission and re-onboarding): whatever is still on the thing is this device's, retire it.
            retireOtherPrincipals(thing, record, null);
            registry.deleteThing(thing);
            return;
        }
        record.thingGroups().forEach(registry::ensureThingGroup);
        registry.ensureThing(thing, record.attributes());
        RegisteredCertificate certificate = registry.ensureCertificate(
                record.certificate().pem(), record.certificate().status());
        registry.attachPolicy(record.policyName(), certificate.arn());
        registry.attachThingPrincipal(thing, certificate.arn());
        registry.ensureGroups(thing, record.thingGroups());
        for (RetiredCertificate old : record.retiredCertificates()) {
            retire(thing, record, old.id().value(), old.status());
        }
        // The retired list is bounded, and a region that skipped versions may hold certificates it does not
        // name: the thing ends with exactly its current certificate.
        retireOtherPrincipals(thing, record, certificate.arn());
    }

    private void retireOtherPrincipals(ThingName thing, DeviceRecord record, String keep) {
        registry.describeThing(thing).ifPresent(view -> view.principals().stream()
                .filter(principal -> !principal.equals(keep))
                .forEach(principal -> retire(
                        thing,
                        record,
                        principal.substring(principal.lastIndexOf('/') + 1),
                        CertificateStatus.INACTIVE)));
    }

    /** A certificate the device no longer uses: deactivated (or revoked) and detached, if registered here. */
    private void retire(ThingName thing, DeviceRecord record, String certificateId, CertificateStatus status) {
        Optional<CertificateView> here =
                registry.describeCertificate(dev.iotdr.shared.domain.CertificateId.of(certificateId));
        if (here.isEmpty()) {
            return; // never registered in this region: nothing can connect with it here
        }
        CertificateStatus wanted = status == CertificateStatus.ACTIVE ? CertificateStatus.INACTIVE : status;
        if (here.get().status() != wanted) {
            registry.setCertificateStatus(here.get().id(), wanted);
        }
        registry.detachThingPrincipal(thing, here.get().arn());
        registry.detachPolicy(record.policyName(), here.get().arn());
    }
}
