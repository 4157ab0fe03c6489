package dev.iotdr.replication.stream.application;

import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.Optional;

/**
 * What the readers of one source region last achieved, shared by every worker and stored in the consumer's
 * region: the stream they read, when a poll last succeeded, and the gaps (records the stream no longer held
 * when we came to read them).
 */
public interface SourceReads {

    /** A poll of {@code source} succeeded at {@code at}, reading {@code streamArn} (none: the source has no stream). */
    void polled(Region source, Optional<String> streamArn, Instant at);

    /** Records a gap; counts it. */
    void gap(Region source, StreamGap gap);

    Optional<SourceState> state(Region source);

    /** The shared state of one source. */
    record SourceState(Optional<String> streamArn, Instant lastPolledAt, long gaps, Optional<StreamGap> lastGap) {}

    /** Records that may have been missed: which shard, why, when noticed. */
    record StreamGap(String streamArn, String shardId, String cause, Instant at) {}
}
