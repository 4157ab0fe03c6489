package dev.iotdr.replication.stream.application;

import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Leases, checkpoints and watermarks of one source region's shards, and the workers reading them, stored in
 * the consumer's region under one key per source: reading them costs the same for ten devices or a million.
 * Every change to a lease is conditional on who holds it, so two workers never both move a checkpoint.
 */
public interface ShardLeases {

    /** Every lease of {@code source}'s streams (current and older ones not yet removed). */
    List<Lease> leases(Region source);

    /** Creates {@code lease} if the shard has none yet. */
    void create(Lease lease);

    /** Takes or renews the lease for {@code worker} until {@code until}, if it is free, expired or ours. */
    Optional<Lease> take(Lease lease, String worker, Instant now, Instant until);

    /** Takes the lease from its holder, only if it is still held exactly as {@code lease} says (balancing). */
    Optional<Lease> steal(Lease lease, String worker, Instant until);

    /**
     * Records progress if {@code worker} still holds the lease: the checkpoint (when given), the watermark
     * (every record written before it is applied), the records read but not yet applied, a new expiry.
     */
    boolean progress(
            Lease lease, String worker, Optional<String> checkpoint, Instant watermark, int inFlight, Instant until);

    /** Marks the shard fully read, if {@code worker} still holds the lease. */
    boolean complete(Lease lease, String worker);

    /** Forgets a lease (its shard is finished and trimmed, or its stream was replaced). */
    void remove(Lease lease);

    /** {@code worker} reads {@code source} until {@code until}. */
    void heartbeat(Region source, String worker, Instant until);

    /** The workers reading {@code source} whose heartbeat has not expired at {@code now}. */
    Set<String> workers(Region source, Instant now);

    /**
     * A shard's lease.
     *
     * @param watermark every record of the shard written before this instant is applied (or parked)
     * @param inFlight records read but not yet applied
     */
    record Lease(
            Region source,
            String streamArn,
            String shardId,
            Optional<String> parentShardId,
            Optional<String> owner,
            Instant expiresAt,
            Optional<String> checkpoint,
            boolean completed,
            Instant watermark,
            int inFlight) {

        /** A new, unowned lease. */
        public static Lease fresh(
                Region source, String streamArn, String shardId, Optional<String> parentShardId, Instant watermark) {
            return new Lease(
                    source,
                    streamArn,
                    shardId,
                    parentShardId,
                    Optional.empty(),
                    Instant.EPOCH,
                    Optional.empty(),
                    false,
                    watermark,
                    0);
        }

        /** This lease after progress: a new checkpoint (when given) and watermark. */
        public Lease advanced(Optional<String> newCheckpoint, Instant newWatermark) {
            return new Lease(
                    source,
                    streamArn,
                    shardId,
                    parentShardId,
                    owner,
                    expiresAt,
                    newCheckpoint.or(() -> checkpoint),
                    completed,
                    newWatermark,
                    0);
        }

        public boolean heldBy(String worker, Instant now) {
            return owner.filter(worker::equals).isPresent() && expiresAt.isAfter(now);
        }

        public boolean free(Instant now) {
            return owner.isEmpty() || !expiresAt.isAfter(now);
        }
    }
}
