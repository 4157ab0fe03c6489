package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRecords.RecordConflictException;
import dev.iotdr.onboarding.devices.application.Problems.DeviceNotFound;
import dev.iotdr.onboarding.devices.application.Problems.DeviceStateConflict;
import dev.iotdr.onboarding.devices.application.UseCases.DecommissionDevice;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Clock;
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
        String arn = tombstone.certificate().arnIn(settings.region());
        registry.detachThingPrincipal(tombstone.thingName(), arn);
        registry.detachPolicy(settings.devicePolicy(), arn);
        registry.deleteThing(tombstone.thingName());
        requests.releaseAny(device);
        log.info("device {} decommissioned (tombstone version {})", device, tombstone.version());
        return tombstone;
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
