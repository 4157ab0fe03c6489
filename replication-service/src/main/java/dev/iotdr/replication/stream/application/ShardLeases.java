package dev.iotdr.replication.stream.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Leases and checkpoints of one source region's shards, stored in the consumer's region. */
public interface ShardLeases {

    /** Creates the lease of a shard if it has none. */
    void ensure(String streamArn, String shardId, Optional<String> parentShardId);

    List<Lease> all(String streamArn);

    /** Takes or renews {@code lease} for {@code worker} until {@code until}, if it is free, expired or ours. */
    Optional<Lease> take(Lease lease, String worker, Instant now, Instant until);

    /** Moves the checkpoint, if {@code worker} still holds the lease. */
    boolean checkpoint(Lease lease, String worker, String sequenceNumber, Instant until);

    /** Marks the shard fully read, if {@code worker} still holds the lease. */
    boolean complete(Lease lease, String worker);

    /** A shard's lease. */
    record Lease(
            String streamArn,
            String shardId,
            Optional<String> parentShardId,
            Optional<String> owner,
            Instant expiresAt,
            Optional<String> checkpoint,
            boolean completed) {}
}
