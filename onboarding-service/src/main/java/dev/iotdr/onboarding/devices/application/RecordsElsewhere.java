package dev.iotdr.onboarding.devices.application;

import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.util.Map;

/**
 * The device's record as the other regions' device tables hold it now (a read in each, never a write): how
 * onboarding learns that another region accepted the same device id at the same time. A region that cannot
 * be read is left out: around a partition both sides may accept, and replication then keeps the record that
 * ranks first ({@link DeviceRecord#PRECEDENCE}) and retires the other certificate everywhere.
 */
public interface RecordsElsewhere {
    /** The device's records (live or tombstones) in the regions that answered and hold one. */
    Map<Region, DeviceRecord> find(DeviceId device);
}
