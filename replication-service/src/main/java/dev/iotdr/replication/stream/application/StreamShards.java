package dev.iotdr.replication.stream.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One source region's table stream: the device table's, or another table replication copies ({@code T} is what a
 * record's new image is decoded to).
 */
public interface StreamShards<T> {

    /** The source table's current stream, if the table exists and streams. */
    Optional<String> latestStreamArn();

    /** Every shard the stream still lists (open, and closed ones within the retention period). */
    List<Shard> shards(String streamArn);

    /**
     * An iterator after {@code checkpoint}, or from the oldest record when there is none.
     *
     * @throws CheckpointTrimmedException when the checkpoint is older than the stream's retention
     * @throws ShardGoneException when the shard is no longer in the stream (trimmed, or the stream is gone)
     */
    String iterator(String streamArn, String shardId, Optional<String> checkpoint);

    /** The oldest record still in the shard (after a trimmed checkpoint). */
    String oldestIterator(String streamArn, String shardId);

    /**
     * Up to {@code limit} records. An empty answer with a next iterator says nothing about later records
     * (DynamoDB Streams may answer empty several times before data): keep reading with the next iterator.
     *
     * @throws IteratorExpiredException when the iterator is older than the 15 minutes AWS keeps it
     */
    Batch<T> read(String iterator, int limit);

    /** A shard and its parent, if it has one. */
    record Shard(String shardId, Optional<String> parentShardId) {}

    /** Records read and the iterator to continue with; none when the shard is closed and fully read. */
    record Batch<T>(List<StreamedRecord<T>> records, Optional<String> nextIterator) {
        public Batch {
            records = List.copyOf(records);
        }
    }

    /**
     * One stream record: its sequence number, when it was written (the stream's approximate creation time),
     * and the item's new image (none for a removal).
     */
    record StreamedRecord<T>(String sequenceNumber, Instant createdAt, Optional<T> newImage) {}

    /** The checkpoint is older than what the stream still holds: the records in between are gone. */
    final class CheckpointTrimmedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CheckpointTrimmedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The shard (or its stream) no longer exists. */
    final class ShardGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ShardGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The iterator expired; get a new one from the checkpoint. */
    final class IteratorExpiredException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public IteratorExpiredException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
