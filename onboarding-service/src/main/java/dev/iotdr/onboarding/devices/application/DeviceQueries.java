package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.Problems.DeviceNotFound;
import dev.iotdr.onboarding.devices.application.UseCases.ReadDevices;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.Optional;

/** Reads the device table of this region (records carry no private keys, ever). */
public final class DeviceQueries implements ReadDevices {
    public static final int MAX_PAGE = 100;

    private final DeviceRecords records;

    public DeviceQueries(DeviceRecords records) {
        this.records = records;
    }

    @Override
    public DeviceRecord get(DeviceId device) {
        return records.find(device).orElseThrow(() -> new DeviceNotFound("device " + device + " is not registered"));
    }

    @Override
    public DeviceRecords.Page list(int limit, Optional<String> cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        return records.list(limit, cursor);
    }
}
