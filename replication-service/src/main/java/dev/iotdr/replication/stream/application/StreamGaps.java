package dev.iotdr.replication.stream.application;

import dev.iotdr.replication.stream.application.SourceReads.StreamGap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream lost records before we read them (a shard or checkpoint past the 24 h
 * retention, a replaced stream): the gap is counted here (the metric an alarm watches; the shared count is
 * in {@link SourceReads}) and a catch-up is requested, which re-applies every device whose record is newer
 * than what this region applied: what the gap may have hidden, and no more.
 */
public final class StreamGaps {
    private static final Logger log = LoggerFactory.getLogger(StreamGaps.class);

    private final AtomicLong found = new AtomicLong();
    private final Runnable requestCatchUp;

    public StreamGaps(Runnable requestCatchUp) {
        this.requestCatchUp = requestCatchUp;
    }

    public void found(StreamGap gap) {
        found.incrementAndGet();
        log.warn("stream gap on {} ({}): requesting a catch-up", gap.shardId(), gap.cause());
        requestCatchUp.run();
    }

    /**
     * This region never read {@code source}'s stream: what the stream no longer holds is not a gap, but
     * this region must still catch up with the source's table (a region started or rebuilt from nothing).
     */
    public void firstRead(dev.iotdr.shared.domain.Region source) {
        log.info("first read of {}'s stream here: requesting a catch-up from its table", source);
        requestCatchUp.run();
    }

    /** Gaps this instance found since it started. */
    public long count() {
        return found.get();
    }
}
