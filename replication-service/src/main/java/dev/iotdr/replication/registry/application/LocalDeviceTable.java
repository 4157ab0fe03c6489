package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** This region's device table: the truth replication makes the registry match. */
public interface LocalDeviceTable {

    /** The record, read consistently. */
    Optional<DeviceRecord> find(DeviceId device);

    /**
     * Table-copy mode: writes {@code record} only if the table holds no record of the device or one it
     * {@link DeviceRecord#supersedes supersedes} (a newer version, or another region's record of the same
     * version that ranks lower). Duplicates and lower-ranked records change nothing.
     *
     * @return whether the record was written
     */
    boolean copyIfNewer(DeviceRecord record);

    /** The stored record's rank for each of {@code devices} that has one (read in batches, consistently). */
    Map<DeviceId, RecordRank> ranks(Collection<DeviceId> devices);
}
