package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.Optional;

/** This region's device table: the truth replication makes the registry match. */
public interface LocalDeviceTable {

    /** The record, read consistently. */
    Optional<DeviceRecord> find(DeviceId device);

    /**
     * Table-copy mode: writes {@code record} only if the table holds no record of the device or an older
     * version. Duplicates and older records change nothing.
     *
     * @return whether the record was written
     */
    boolean copyIfNewer(DeviceRecord record);

    /** The stored version of each of {@code devices} that has a record (read in batches, consistently). */
    java.util.Map<DeviceId, Long> versions(java.util.Collection<DeviceId> devices);
}
