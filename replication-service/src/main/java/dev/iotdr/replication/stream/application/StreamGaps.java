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
    private final String catchUp;

    public StreamGaps(Runnable requestCatchUp) {
        this(requestCatchUp, "requesting a catch-up");
    }

    /** Gaps whose catch-up is {@code catchUp} (said in the log). */
    public StreamGaps(Runnable requestCatchUp, String catchUp) {
        this.requestCatchUp = requestCatchUp;
        this.catchUp = catchUp;
    }

    public void found(StreamGap gap) {
        found.incrementAndGet();
        log.warn("stream gap on {} ({}): {}", gap.shardId(), gap.cause(), catchUp);
        requestCatchUp.run();
    }

    /**
     * This region never read {@code source}'s stream: what the stream no longer holds is not a gap, but
     * this region must still catch up with the source's table (a region started or rebuilt from nothing).
     */
    public void firstRead(dev.iotdr.shared.domain.Region source) {
        log.info("first read of {}'s stream here: {}", source, catchUp);
        requestCatchUp.run();
    }

    /** Gaps this instance found since it started. */
    public long count() {
        return found.get();
    }
}
