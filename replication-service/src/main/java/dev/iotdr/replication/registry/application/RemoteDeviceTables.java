package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.util.function.Consumer;

/** Other regions' device tables, read in full for a re-sync in table-copy mode. */
public interface RemoteDeviceTables {
    void forEach(Region region, Consumer<DeviceRecord> action);
}
