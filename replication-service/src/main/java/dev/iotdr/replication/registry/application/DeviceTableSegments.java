package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.util.List;
import java.util.Optional;

/**
 * A region's device table read in parallel scan segments, one page at a time, resumable from a cursor: what
 * jobs over the whole fleet use (never a poll or a status call).
 */
public interface DeviceTableSegments {

    /**
     * One page of segment {@code segment} of {@code total}, after {@code after} (none: from the start).
     *
     * @param region whose table; none: this region's
     */
    Page page(Optional<Region> region, int segment, int total, Optional<String> after, int limit);

    /** Records of a page and the cursor to go on from (none: the segment is finished). */
    record Page(List<DeviceRecord> records, Optional<String> next) {
        public Page {
            records = List.copyOf(records);
        }
    }
}
