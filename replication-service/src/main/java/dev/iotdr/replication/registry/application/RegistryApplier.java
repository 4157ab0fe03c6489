package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.RegionRegistry.CertificateView;
import dev.iotdr.replication.registry.application.RegionRegistry.RegisteredCertificate;
import dev.iotdr.replication.registry.application.RegionRegistry.ThingView;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RetiredCertificate;
import dev.iotdr.shared.domain.ThingName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes this region's registry match a device's record, level-triggered: whatever record a stream event
 * carried, the applier reads the device's current record from this region's table and ensures that. So
 * duplicates, replays and reordering cannot move a device backwards, and a record never needs anything
 * from the region it came from (which may be down).
 *
 * <p>Every step is an idempotent ensure. Which record the registry holds (its {@link RecordRank}: version and
 * tie key) is recorded per device with a conditional write whose version only moves forward; if it does not
 * move (another worker applied a newer version meanwhile) or the table moved on while we worked (a newer
 * version, or another region's record of the same version that outranks), the applier ensures the latest
 * record again, so the last one to finish always leaves the table's state.
 *
 * <p>Principals on the thing that the record does not name are retired (an ACTIVE one at once: it is a
 * certificate the device no longer uses, or the losing record's of two regions that accepted the device at
 * once), except a <em>pending</em> one: INACTIVE and created here less than {@code pendingGrace} ago, which
 * this region's onboarding attached for a rotation or a re-onboarding and has not recorded yet.
 */
public final class RegistryApplier implements ApplyRegistryRecord {
    private static final int MAX_ROUNDS = 5;
    private static final int LOCK_STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    private final RegionRegistry registry;
    private final LocalDeviceTable table;
    private final AppliedVersions applied;
    private final Region self;
    private final Clock clock;
    private final Duration pendingGrace;

    /**
     * @param pendingGrace how long an INACTIVE certificate on a thing, not named by its record, is left alone:
     *     longer than this region's onboarding takes to record or undo one
     */
    public RegistryApplier(
            RegionRegistry registry,
            LocalDeviceTable table,
            AppliedVersions applied,
            Region self,
            Clock clock,
            Duration pendingGrace) {
        if (pendingGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "the pending-certificate grace must not be negative, was " + pendingGrace);
        }
        this.registry = registry;
        this.table = table;
        this.applied = applied;
        this.self = self;
        this.clock = clock;
        this.pendingGrace = pendingGrace;
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
            RecordRank wanted = RecordRank.of(record);
            if (!force) {
                RecordRank held = applied.get(device);
                if (record.originRegion().equals(self)
                        && record.updatedAt().isAfter(applied.since())
                        && !heldRival(held, record)) {
                    // This region's onboarding provisioned it. (Records this region wrote before its replication
                    // state began were provisioned in a registry since rebuilt from scratch: they are applied.)
                    if (!held.equals(wanted)) {
                        applied.advance(device, wanted);
                    }
                    return ApplyOutcome.SKIPPED_OWN_REGION;
                }
                if (held.standsFor(record) || held.version() > record.version()) {
                    return ApplyOutcome.SKIPPED_DUPLICATE;
                }
            }
            ensure(record);
            boolean advanced = applied.advance(device, wanted);
            Optional<DeviceRecord> after = table.find(device);
            boolean unchanged = after.isPresent() && wanted.is(after.get());
            if (unchanged && (advanced || applied.get(device).equals(wanted))) {
                return ApplyOutcome.APPLIED;
            }
            force = true; // the table moved on, or another worker applied a newer version while we worked
        }
        throw new IllegalStateException("device " + device + " kept changing while being applied");
    }

    /**
     * Whether the registry holds another record of this version: another region's, applied while it held the
     * table (global-table mode, where the last writer wins). Then even this region's own record is ensured.
     */
    private static boolean heldRival(RecordRank held, DeviceRecord record) {
        return held.version() == record.version() && !held.standsFor(record);
    }

    /** Ensures the registry holds exactly what {@code record} says. Idempotent. */
    void ensure(DeviceRecord record) {
        ThingName thing = record.thingName();
        if (record.isTombstone()) {
            retire(
                    thing,
                    record,
                    record.certificate().id(),
                    record.certificate().status());
            record.retiredCertificates().forEach(old -> retire(thing, record, old.id(), old.status()));
            // A region that skipped versions may hold a certificate neither list names (one from before a
            // decommission and re-onboarding): whatever is still on the thing is this device's, retire it.
            int pending = retireOtherPrincipals(thing, record, null);
            // A pending certificate keeps the thing: this region is re-onboarding the device. The onboarding
            // records it (a newer version, applied in turn) or undoes it; an audit repair after the grace
            // deletes the thing if neither happened.
            if (!registry.deleteThing(thing) && pending == 0) {
                // IoT detaches asynchronously (or a principal was attached meanwhile): fail, so it is tried again.
                throw new IllegalStateException(
                        "thing " + thing + " still has a principal attached after its certificates were detached");
            }
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
            retire(thing, record, old.id(), old.status());
        }
        // The retired list is bounded, a region that skipped versions may hold certificates it does not name,
        // and another region's record of the same version may have lost: the thing ends with exactly its
        // current certificate, and any pending one.
        retireOtherPrincipals(thing, record, certificate.arn());
    }

    /**
     * Retires every principal on the thing that the record does not name, but a pending one.
     *
     * @return how many pending principals were left on the thing
     */
    private int retireOtherPrincipals(ThingName thing, DeviceRecord record, String keep) {
        Optional<ThingView> view = registry.describeThing(thing);
        if (view.isEmpty()) {
            return 0;
        }
        Set<CertificateId> named = new HashSet<>();
        named.add(record.certificate().id());
        record.retiredCertificates().forEach(old -> named.add(old.id()));
        Instant pendingIfAfter = clock.instant().minus(pendingGrace);
        int pending = 0;
        for (String principal : view.get().principals()) {
            CertificateId id = CertificateId.of(principal.substring(principal.lastIndexOf('/') + 1));
            if (principal.equals(keep) || named.contains(id)) {
                continue; // ensured or retired by name already
            }
            Optional<CertificateView> certificate = registry.describeCertificate(id);
            if (certificate.isPresent() && pending(certificate.get(), pendingIfAfter)) {
                pending++;
            } else {
                certificate.ifPresent(here -> retire(thing, record, here, CertificateStatus.INACTIVE));
            }
        }
        return pending;
    }

    /**
     * Attached by this region's onboarding for a rotation or re-onboarding that has not written its record
     * yet: it activates the certificate only after the record, so an ACTIVE one is never pending.
     */
    private static boolean pending(CertificateView certificate, Instant pendingIfAfter) {
        return certificate.status() == CertificateStatus.INACTIVE
                && certificate.createdAt().isAfter(pendingIfAfter);
    }

    /** A certificate the device no longer uses: deactivated (or revoked) and detached, if registered here. */
    private void retire(ThingName thing, DeviceRecord record, CertificateId certificate, CertificateStatus status) {
        // Never registered in this region: nothing can connect with it here.
        registry.describeCertificate(certificate).ifPresent(here -> retire(thing, record, here, status));
    }

    private void retire(ThingName thing, DeviceRecord record, CertificateView here, CertificateStatus status) {
        CertificateStatus wanted = status == CertificateStatus.ACTIVE ? CertificateStatus.INACTIVE : status;
        if (here.status() != wanted) {
            registry.setCertificateStatus(here.id(), wanted);
        }
        registry.detachThingPrincipal(thing, here.arn());
        registry.detachPolicy(record.policyName(), here.arn());
    }
}
