package dev.iotdr.replication.stream.application;

import dev.iotdr.shared.domain.Region;

/**
 * Where a {@link StreamReplicator} puts what it reads: the device table's records go through the registry's
 * apply; a copied table's items are written here as they are. Records with the same ordering key are applied in
 * stream order, others concurrently.
 *
 * @param <T> a record's new image, as {@link StreamShards} decodes it
 */
public interface StreamSink<T> {

    /** Records with equal keys are applied one after another, in stream order. */
    Object orderingKey(T record);

    /**
     * Applies one record read from {@code source}'s stream.
     *
     * @throws dev.iotdr.service.aws.DependencyUnavailableException when this region cannot take it now (nothing is
     *     checkpointed; the record is read again)
     */
    void apply(Region source, T record);

    /** An attempt failed for another reason; it is tried again, up to the replicator's bound. */
    void failedAttempt(Region source);

    /**
     * A record that kept failing. A sink that can keep it aside (a dead letter) does, and the shard moves on; one
     * that cannot throws, and the batch is read again (nothing is dropped; the lag shows it).
     */
    void park(Region source, T record, Throwable cause, int attempts);

    /** How a record is named in logs. */
    String describe(T record);

    /** The last record this sink could not take after every attempt, and why (for a status); none by default. */
    default java.util.Optional<String> lastFailure() {
        return java.util.Optional.empty();
    }
}
