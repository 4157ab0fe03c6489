package dev.iotdr.onboarding.devices.application;

import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.List;
import java.util.Optional;

/** The device table of this region: the replicated record of every device. */
public interface DeviceRecords {

    /** The record, read consistently. */
    Optional<DeviceRecord> find(DeviceId device);

    /**
     * Writes the first record of a device, or one that replaces a tombstone of version
     * {@code replacingTombstoneVersion} (0: no record may exist).
     *
     * @throws RecordConflictException if a record exists that this write may not replace
     */
    void insert(DeviceRecord record, long replacingTombstoneVersion);

    /**
     * Writes {@code next} if the stored record is still at {@code expectedVersion}.
     *
     * @throws RecordConflictException if it is not
     */
    void replace(DeviceRecord next, long expectedVersion);

    /** A page of records in table order, after {@code cursor} (empty: from the start). */
    Page list(int limit, Optional<String> cursor);

    /** A page of records and the cursor of the next page, if any. */
    record Page(List<DeviceRecord> records, Optional<String> nextCursor) {}

    /** The device table refused a conditional write: someone else wrote the device first. */
    final class RecordConflictException extends RuntimeException {
        public RecordConflictException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
