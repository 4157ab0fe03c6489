package dev.iotdr.replication.stream.application;

import dev.iotdr.replication.stream.application.ShardLeases.Lease;
import dev.iotdr.replication.stream.application.SourceReads.SourceState;
import dev.iotdr.replication.stream.application.SourceReads.StreamGap;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replication lag of one (source, this region) pair, for the whole deployment: computed from the
 * shared lease watermarks and the source's last successful poll, so every instance answers the same, and
 * reading it costs one query per source whatever the fleet's size.
 *
 * <p>Definition: the age of the oldest record that may not be applied yet. For each unfinished shard of the
 * current stream, everything written before its watermark is applied; the source's last successful poll
 * bounds them all (what was written after it has not been looked at). So lag = now - min(watermarks, last
 * poll). While the reader fails, nothing moves and the lag grows with the time since the last successful
 * read: it is never 0 while the reader fails. Unknown, with the cause, before any worker has read the
 * source and while a catch-up job runs (after a gap or a region's first read, records the stream no longer
 * held may be missing here whatever the watermarks say).
 */
public final class ReplicationLag {
    private final ShardLeases leases;
    private final SourceReads reads;
    private final Supplier<Optional<String>> catchingUp;
    private final Clock clock;

    /**
     * @param catchingUp what catch-up is running, if one is: while it runs, records the stream no longer held
     *     may be missing here, whatever the watermarks say
     */
    public ReplicationLag(ShardLeases leases, SourceReads reads, Supplier<Optional<String>> catchingUp, Clock clock) {
        this.leases = leases;
        this.reads = reads;
        this.catchingUp = catchingUp;
        this.clock = clock;
    }

    /** One source's lag now. */
    public SourceLag of(Region source) {
        Instant now = clock.instant();
        Optional<SourceState> state = reads.state(source);
        if (state.isEmpty()) {
            return SourceLag.unknown(source, "no worker has read " + source + "'s stream yet");
        }
        SourceState read = state.get();
        Optional<String> catchUp = catchingUp.get();
        if (catchUp.isPresent()) {
            return SourceLag.unknown(
                    source, "a catch-up is applying what the stream no longer held (" + catchUp.get() + ")", read);
        }
        List<Lease> open = read.streamArn()
                .map(stream -> leases.leases(source).stream()
                        .filter(lease -> lease.streamArn().equals(stream) && !lease.completed())
                        .toList())
                .orElse(List.of());
        Instant appliedUpTo = open.stream()
                .map(Lease::watermark)
                .filter(watermark -> watermark.isBefore(read.lastPolledAt()))
                .min(Comparator.naturalOrder())
                .orElse(read.lastPolledAt());
        long lag = Math.max(0, Duration.between(appliedUpTo, now).toMillis());
        int inFlight = open.stream().mapToInt(Lease::inFlight).sum();
        long owned = open.stream().filter(lease -> !lease.free(now)).count();
        return new SourceLag(
                source,
                Optional.of(lag),
                Optional.empty(),
                Optional.of(read.lastPolledAt()),
                Optional.of(appliedUpTo),
                open.size(),
                (int) owned,
                inFlight,
                read.gaps(),
                read.lastGap());
    }

    /**
     * One source's lag.
     *
     * @param lagMillis age of the oldest record that may not be applied; empty when unknown
     * @param unknownBecause why the lag is unknown
     * @param lastPolledAt when a worker last read the source successfully
     * @param appliedUpTo everything written before this is applied here
     * @param openShards unfinished shards of the current stream
     * @param ownedShards of those, the ones a live worker holds
     * @param inFlight records read but not yet applied
     * @param gaps records the stream lost before we read them, counted since this region's state began
     */
    public record SourceLag(
            Region source,
            Optional<Long> lagMillis,
            Optional<String> unknownBecause,
            Optional<Instant> lastPolledAt,
            Optional<Instant> appliedUpTo,
            int openShards,
            int ownedShards,
            int inFlight,
            long gaps,
            Optional<StreamGap> lastGap) {

        static SourceLag unknown(Region source, String because) {
            return new SourceLag(
                    source,
                    Optional.empty(),
                    Optional.of(because),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    0,
                    0,
                    0,
                    Optional.empty());
        }

        static SourceLag unknown(Region source, String because, SourceState read) {
            return new SourceLag(
                    source,
                    Optional.empty(),
                    Optional.of(because),
                    Optional.of(read.lastPolledAt()),
                    Optional.empty(),
                    0,
                    0,
                    0,
                    read.gaps(),
                    read.lastGap());
        }
    }
}
