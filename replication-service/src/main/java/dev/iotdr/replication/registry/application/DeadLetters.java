package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Records that kept failing, parked with their cause: not dropped, not blocking their shard. */
public interface DeadLetters {

    /** Parks a device (again: the newest failure replaces the older one, and counts once). */
    void park(ParkedRecord record);

    /** One page of parked devices, in device-id order, after {@code after} (none: from the start). */
    Page page(Optional<DeviceId> after, int limit);

    /** How many devices are parked; kept as they are parked and removed, never counted by reading them. */
    long count();

    /** Removes a device from the store; no-op if it is not parked. */
    void remove(DeviceId device);

    /** One parked device: the newest version that failed, from where, why, and when. */
    record ParkedRecord(
            DeviceId deviceId, long version, String sourceRegion, String cause, int attempts, Instant parkedAt) {}

    /** A page of parked devices, and where the next one starts. */
    record Page(List<ParkedRecord> records, Optional<DeviceId> next) {
        public Page {
            records = List.copyOf(records);
        }
    }
}
