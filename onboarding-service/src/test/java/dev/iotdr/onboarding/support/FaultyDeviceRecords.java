package dev.iotdr.onboarding.support;

import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.Optional;

/** The real device table with {@link FaultInjection} around its writes. */
public final class FaultyDeviceRecords implements DeviceRecords {
    private final DeviceRecords real;
    private final FaultInjection faults;

    public FaultyDeviceRecords(DeviceRecords real, FaultInjection faults) {
        this.real = real;
        this.faults = faults;
    }

    @Override
    public Optional<DeviceRecord> find(DeviceId device) {
        return real.find(device);
    }

    @Override
    public void insert(DeviceRecord record, long replacingTombstoneVersion) {
        faults.beforeCall("insertRecord");
        real.insert(record, replacingTombstoneVersion);
        faults.afterCall("insertRecord");
    }

    @Override
    public void replace(DeviceRecord next, long expectedVersion) {
        faults.beforeCall("replaceRecord");
        real.replace(next, expectedVersion);
        faults.afterCall("replaceRecord");
    }

    @Override
    public Page list(int limit, Optional<String> cursor) {
        return real.list(limit, cursor);
    }
}
