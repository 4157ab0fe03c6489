package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.List;

/** Records that kept failing, parked with their cause: not dropped, not blocking their shard. */
public interface DeadLetters {

    void park(ParkedRecord record);

    List<ParkedRecord> all();

    void remove(DeviceId device);

    /** One parked device: the newest version that failed, from where, why, and when. */
    record ParkedRecord(
            DeviceId deviceId, long version, String sourceRegion, String cause, int attempts, Instant parkedAt) {}
}
