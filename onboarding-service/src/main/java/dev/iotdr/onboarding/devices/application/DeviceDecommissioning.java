package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRecords.RecordConflictException;
import dev.iotdr.onboarding.devices.application.DeviceRegistry.ThingInUseException;
import dev.iotdr.onboarding.devices.application.Problems.DecommissionInProgress;
import dev.iotdr.onboarding.devices.application.Problems.DeviceNotFound;
import dev.iotdr.onboarding.devices.application.Problems.DeviceStateConflict;
import dev.iotdr.onboarding.devices.application.UseCases.DecommissionDevice;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.ThingName;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decommissions a device: its certificate is deactivated first (it stops connecting at once), the tombstone
 * is written (so every region removes it too), then the certificate is detached and the thing deleted.
 * Repeating it finishes whatever an earlier attempt left, so it converges.
 */
public final class DeviceDecommissioning implements DecommissionDevice {
    private static final Logger log = LoggerFactory.getLogger(DeviceDecommissioning.class);
    private static final int ATTEMPTS = 3;
    private static final int REGISTRY_ROUNDS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final DeviceRegistry registry;
    private final DeviceRecords records;
    private final ProvisioningRequests requests;
    private final ProvisioningSettings settings;
    private final Clock clock;

    public DeviceDecommissioning(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            ProvisioningSettings settings,
            Clock clock) {
        this.registry = registry;
        this.records = records;
        this.requests = requests;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public DeviceRecord decommission(DeviceId device) {
        DeviceRecord tombstone = writeTombstone(device);
        removeFromRegistry(tombstone);
        requests.releaseSupersededBy(device, tombstone.version());
        log.info("device {} decommissioned (tombstone version {})", device, tombstone.version());
        return tombstone;
    }

    /**
     * Deactivates and detaches every certificate on the thing that a version of this device up to the
     * tombstone named (replication may be attaching one of them at this moment), then deletes the thing. IoT
     * refuses to delete a thing that got a certificate attached meanwhile; then this looks again with a short
     * backoff. A certificate no version up to the tombstone named belongs to someone else (a new onboarding
     * of the id, which the tombstone frees at once; a rotation or an undo in flight): it is left alone, and
     * the thing too, and the caller hears 409 until it is gone; once a record newer than the tombstone
     * appears the thing is that record's and this stops. If the race with replication outlasts the rounds the
     * caller is told the truth: the tombstone is written, the registry here is still catching up.
     */
    private void removeFromRegistry(DeviceRecord tombstone) {
        ThingName thing = tombstone.thingName();
        Set<CertificateId> named = new HashSet<>();
        named.add(tombstone.certificate().id());
        tombstone.retiredCertificates().forEach(retired -> named.add(retired.id()));
        Duration backoff = FIRST_BACKOFF;
        for (int round = 1; round <= REGISTRY_ROUNDS; round++) {
            if (movedOn(tombstone)) {
                return;
            }
            Set<String> principals = new LinkedHashSet<>(registry.principalsOf(thing));
            principals.add(tombstone.certificate().arnIn(settings.region()));
            boolean someoneElses = false;
            for (String arn : principals) {
                CertificateId id = CertificateId.of(arn.substring(arn.lastIndexOf('/') + 1));
                if (!named.contains(id)) {
                    someoneElses = true;
                    continue;
                }
                registry.setCertificateStatus(id, CertificateStatus.INACTIVE);
                registry.detachThingPrincipal(thing, arn);
                registry.detachPolicy(settings.devicePolicy(), arn);
            }
            if (someoneElses) {
                // an onboarding or rotation in flight, a parked undo, or a rival replication has not retired
                // yet: the thing is not ours to delete now; a newer record ends it (checked each round)
                log.info("thing {} carries a certificate no version of the device named (round {})", thing, round);
            } else {
                try {
                    registry.deleteThing(thing);
                    return;
                } catch (ThingInUseException attachedMeanwhile) {
                    log.info("thing {} had a certificate attached while it was removed (round {})", thing, round);
                }
            }
            if (round < REGISTRY_ROUNDS) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new DecommissionInProgress(
                "device " + tombstone.deviceId() + " is decommissioned (tombstone version " + tombstone.version()
                        + "), but this region's registry is still being changed by replication; repeat the DELETE"
                        + " to finish",
                Duration.ofSeconds(1));
    }

    private boolean movedOn(DeviceRecord tombstone) {
        return records.find(tombstone.deviceId())
                .filter(current -> current.version() > tombstone.version())
                .isPresent();
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decommissioning", e);
        }
    }

    private DeviceRecord writeTombstone(DeviceId device) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            DeviceRecord current = records.find(device)
                    .orElseThrow(() -> new DeviceNotFound("device " + device + " is not registered"));
            if (current.isTombstone()) {
                return current;
            }
            registry.setCertificateStatus(current.certificate().id(), CertificateStatus.INACTIVE);
            DeviceRecord tombstone = current.decommissioned(settings.region(), clock.instant());
            try {
                records.replace(tombstone, current.version());
                return tombstone;
            } catch (RecordConflictException changed) {
                log.info("device {} changed while decommissioning (attempt {}); reading it again", device, attempt);
            }
        }
        throw new DeviceStateConflict("device " + device + " keeps changing; try again");
    }
}
