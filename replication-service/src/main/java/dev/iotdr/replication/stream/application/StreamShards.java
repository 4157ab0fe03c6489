package dev.iotdr.replication.stream.application;

import dev.iotdr.shared.domain.DeviceRecord;
import java.util.List;
import java.util.Optional;

/** One source region's device-table stream. */
public interface StreamShards {

    /** The source table's current stream, if the table exists and streams. */
    Optional<String> latestStreamArn();

    List<Shard> shards(String streamArn);

    /** An iterator after {@code checkpoint}, or from the oldest record when there is none. */
    String iterator(String streamArn, String shardId, Optional<String> checkpoint);

    Batch read(String iterator, int limit);

    /** A shard and its parent, if the parent may still be readable. */
    record Shard(String shardId, Optional<String> parentShardId) {}

    /** Records read and the iterator to continue with; none when the shard is closed and fully read. */
    record Batch(List<StreamedRecord> records, Optional<String> nextIterator) {}

    /** One stream record: its sequence number and the item's new image (none for a removal). */
    record StreamedRecord(String sequenceNumber, Optional<DeviceRecord> newImage) {}
}
