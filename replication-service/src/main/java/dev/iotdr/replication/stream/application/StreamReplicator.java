package dev.iotdr.replication.stream.application;

import dev.iotdr.replication.stream.application.ShardLeases.Lease;
import dev.iotdr.replication.stream.application.SourceReads.StreamGap;
import dev.iotdr.replication.stream.application.StreamShards.Batch;
import dev.iotdr.replication.stream.application.StreamShards.CheckpointTrimmedException;
import dev.iotdr.replication.stream.application.StreamShards.IteratorExpiredException;
import dev.iotdr.replication.stream.application.StreamShards.Shard;
import dev.iotdr.replication.stream.application.StreamShards.ShardGoneException;
import dev.iotdr.replication.stream.application.StreamShards.StreamedRecord;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source region's table stream and hands every record to its {@link StreamSink} (the device table's
 * to the registry's intake; a copied table's to a write-once copy); one poll per {@link #poll()} call. Several workers may run it: shard leases decide who reads what, and
 * {@link LeaseBalance} spreads the shards over the live workers.
 *
 * <p>A poll: find the stream and its shards (cached for a few seconds: shards change every few hours);
 * create leases for new shards; remove the leases of shards that are finished and gone, recording a gap
 * when a shard went before it was read to its end; take and steal leases; read each held shard, a child
 * only after its parent is finished. Records of one batch are applied concurrently across ordering keys (devices)
 * and in stream order per key; the checkpoint and the watermark move after the whole batch.
 *
 * <p>Failures: when a region cannot serve (source stream or target registry unavailable) the poll stops
 * without moving the checkpoint or the watermark, so the lag grows and nothing is skipped. A record that
 * fails for another reason is retried a few times, then parked by its sink with its cause and the shard moves on
 * (a sink that cannot park fails the batch instead, which is read again).
 *
 * @param <T> a record's new image
 */
public final class StreamReplicator<T> {
    private static final Logger log = LoggerFactory.getLogger(StreamReplicator.class);
    private static final int BATCH = 1000;
    private static final int BATCHES_PER_POLL = 10;
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);
    /**
     * Empty answers in a row after which a shard counts as read to its end as of the first of them (one read
     * per poll: the lag of an idle, caught-up source is about three polls).
     */
    static final int EMPTY_ANSWERS_AT_TIP = 4;

    private final Region source;
    private final String feed;
    private final StreamShards<T> shards;
    private final ShardLeases leases;
    private final SourceReads reads;
    private final StreamSink<T> sink;
    private final String worker;
    private final Duration leaseDuration;
    private final int attemptsBeforeParking;
    private final Semaphore applySlots;
    private final ExecutorService applyThreads;
    private final Clock clock;
    private final StreamGaps gaps;
    private final Duration retention;

    /** Iterators kept between polls, so an empty answer goes on where it ended. */
    private final Map<String, CachedIterator> iterators = new ConcurrentHashMap<>();

    private volatile Discovery discovery;
    private volatile Instant lastKnownPoll;
    private volatile Instant previousListingAt;
    private volatile Instant staleGapRecordedFor;
    private volatile boolean firstReadRequested;
    private volatile Instant lastHeartbeat = Instant.EPOCH;

    /** The device table's replicator (its feed has no name: its leases keep the keys they always had). */
    public StreamReplicator(
            Region source,
            StreamShards<T> shards,
            ShardLeases leases,
            SourceReads reads,
            StreamSink<T> sink,
            Settings settings,
            Clock clock,
            StreamGaps gaps) {
        this("", source, shards, leases, reads, sink, settings, clock, gaps);
    }

    /**
     * A replicator of {@code feed}'s stream (the copied table's name, for logs and metrics; its leases and reads
     * are kept apart by the {@code leases} and {@code reads} given).
     */
    public StreamReplicator(
            String feed,
            Region source,
            StreamShards<T> shards,
            ShardLeases leases,
            SourceReads reads,
            StreamSink<T> sink,
            Settings settings,
            Clock clock,
            StreamGaps gaps) {
        this.feed = feed;
        this.source = source;
        this.shards = shards;
        this.leases = leases;
        this.reads = reads;
        this.sink = sink;
        this.worker = settings.worker();
        this.leaseDuration = settings.leaseDuration();
        this.attemptsBeforeParking = settings.attemptsBeforeParking();
        this.applySlots = new Semaphore(settings.applyConcurrency());
        this.applyThreads = Executors.newVirtualThreadPerTaskExecutor();
        this.retention = settings.retention();
        this.clock = clock;
        this.gaps = gaps;
    }

    /**
     * How one worker reads.
     *
     * @param worker this worker's name in leases
     * @param leaseDuration how long a lease is held without progress
     * @param attemptsBeforeParking tries of a failing record before it is parked
     * @param applyConcurrency devices applied at once (the IoT pacing, not this, sets the rate)
     * @param retention how long the stream keeps a record (24 h on DynamoDB Streams)
     */
    public record Settings(
            String worker,
            Duration leaseDuration,
            int attemptsBeforeParking,
            int applyConcurrency,
            Duration retention) {
        public Settings {
            if (worker == null || worker.isBlank()) {
                throw new IllegalArgumentException("worker must be named");
            }
            if (leaseDuration.isNegative() || leaseDuration.isZero()) {
                throw new IllegalArgumentException("leaseDuration must be positive, was " + leaseDuration);
            }
            if (attemptsBeforeParking < 1 || applyConcurrency < 1) {
                throw new IllegalArgumentException("attemptsBeforeParking and applyConcurrency must be at least 1");
            }
        }
    }

    public Region source() {
        return source;
    }

    /** The copied table this reads, or empty for the device table. */
    public String feed() {
        return feed;
    }

    public String worker() {
        return worker;
    }

    /** One poll. Returns the number of records handled. */
    public int poll() {
        try {
            Instant started = clock.instant();
            checkStaleness(started);
            Discovery found = discover(started);
            if (found.streamArn().isEmpty()) {
                // The source has no table or stream. Nothing to read, unless it had one we had not read to
                // its end: then those records are out of reach and the lag must keep growing (the gap is
                // recorded when a new stream appears).
                if (leases.leases(source).stream().noneMatch(lease -> !lease.completed())) {
                    reads.polled(source, Optional.empty(), started);
                    lastKnownPoll = started;
                }
                return 0;
            }
            String streamArn = found.streamArn().get();
            List<Lease> all = leases.leases(source);
            if (!found.fresh() && !listedExactly(all, streamArn, found.shards())) {
                // Another worker saw shards, a stream or a trim our cached listing has not, or a shard has
                // no lease yet: look again before concluding that a shard left the stream or creating one.
                discovery = null;
                found = discover(started);
                if (found.streamArn().isEmpty()) {
                    return 0;
                }
                streamArn = found.streamArn().get();
            }
            List<Lease> current = housekeep(all, streamArn, found.shards(), started);
            heartbeat(started);
            Map<String, Lease> byShard =
                    current.stream().collect(Collectors.toMap(Lease::shardId, l -> l, (a, b) -> a));
            List<Lease> readable = current.stream()
                    .filter(lease -> !lease.completed() && parentDone(lease, byShard))
                    .toList();
            Instant now = clock.instant();
            LeaseBalance.Plan plan = LeaseBalance.plan(readable, worker, leases.workers(source, now), now);
            List<Lease> held = new ArrayList<>();
            for (Lease lease : readable) {
                if (lease.heldBy(worker, now)) {
                    held.add(lease);
                }
            }
            for (Lease lease : plan.take()) {
                leases.take(lease, worker, now, now.plus(leaseDuration)).ifPresent(held::add);
            }
            plan.steal()
                    .flatMap(lease -> {
                        log.info("taking shard {} of {} from {} to balance", lease.shardId(), source, lease.owner());
                        return leases.steal(lease, worker, now.plus(leaseDuration));
                    })
                    .ifPresent(held::add);
            int handled = 0;
            for (Lease lease :
                    held.stream().sorted(Comparator.comparing(Lease::shardId)).toList()) {
                handled += read(lease);
            }
            reads.polled(source, Optional.of(streamArn), started);
            lastKnownPoll = started;
            return handled;
        } catch (DependencyUnavailableException unavailable) {
            // Nothing moves: the shared watermarks stay where they were, so the lag grows honestly.
            log.debug("replication from {} waits: {}", source, unavailable.getMessage());
            return 0;
        } catch (ShardGoneException gone) {
            discovery = null; // the stream changed under us (the source table was re-created): look again
            iterators.clear();
            log.info("stream of {} changed: {}", source, gone.getMessage());
            return 0;
        }
    }

    /**
     * Before the first poll of this worker, or after a pause longer than the retention: if no worker read
     * the source for longer than the stream keeps records, some may be gone unread (a gap); if none ever
     * read it, this region starts from nothing and catches up from the source's table (a bootstrap, not a
     * gap: the stream never promised what came before it).
     */
    private void checkStaleness(Instant now) {
        Instant known = lastKnownPoll;
        if (known != null && known.plus(retention).isAfter(now)) {
            return;
        }
        Optional<SourceReads.SourceState> state = reads.state(source);
        if (state.isEmpty()) {
            if (!firstReadRequested) {
                firstReadRequested = true;
                gaps.firstRead(source);
            }
            return;
        }
        Instant lastPolled = state.get().lastPolledAt();
        if (lastPolled.plus(retention).isBefore(now) && !lastPolled.equals(staleGapRecordedFor)) {
            staleGapRecordedFor = lastPolled; // once per stale period, not once per failing poll
            gap(new StreamGap(
                    state.get().streamArn().orElse(""),
                    "*",
                    "no worker read the stream for longer than its retention (last read "
                            + state.get().lastPolledAt() + ")",
                    now));
        }
    }

    private Discovery discover(Instant now) {
        Discovery known = discovery;
        if (known != null && known.at().plus(DISCOVERY_INTERVAL).isAfter(now)) {
            return known.cached();
        }
        Instant askedAt = clock.instant();
        Optional<String> stream = shards.latestStreamArn();
        List<Shard> listed = stream.map(shards::shards).orElse(List.of());
        if (known != null) {
            previousListingAt = known.askedAt();
        }
        Discovery fresh = new Discovery(stream, listed, now, askedAt, true);
        discovery = fresh;
        return fresh;
    }

    /**
     * Creates leases for new shards; removes leases of other streams and of shards gone from the listing,
     * recording a gap for any that was not read to its end. Returns the current stream's leases.
     */
    private List<Lease> housekeep(List<Lease> all, String streamArn, List<Shard> listed, Instant now) {
        Set<String> listedIds = new HashSet<>();
        listed.forEach(shard -> listedIds.add(shard.shardId()));
        boolean firstLook = all.stream().noneMatch(lease -> lease.streamArn().equals(streamArn));
        List<Lease> current = new ArrayList<>();
        for (Lease lease : all) {
            boolean otherStream = !lease.streamArn().equals(streamArn);
            if (otherStream || !listedIds.contains(lease.shardId())) {
                if (!lease.completed()) {
                    gap(new StreamGap(
                            lease.streamArn(),
                            lease.shardId(),
                            otherStream
                                    ? "the source table's stream was replaced before this shard was read to its end"
                                    : "the shard left the stream (retention) before it was read to its end",
                            now));
                }
                leases.remove(lease);
                iterators.remove(lease.shardId());
            } else {
                current.add(lease);
            }
        }
        Map<String, Lease> byShard = new HashMap<>();
        current.forEach(lease -> byShard.put(lease.shardId(), lease));
        Instant floor = null;
        for (Shard shard : listed) {
            if (byShard.containsKey(shard.shardId())) {
                continue;
            }
            if (floor == null) {
                // A new shard holds records written since it was created, which is after the last listing
                // that did not show it (this worker's previous listing; else, as other workers' listings may
                // be a discovery interval old, the last successful poll less that interval). On a region's
                // first read, since ever (EPOCH: the bootstrap catch-up covers what the stream no longer has).
                Optional<Instant> lastPolled = reads.state(source).map(SourceReads.SourceState::lastPolledAt);
                Instant lastPoll = lastPolled.isEmpty()
                        ? Instant.EPOCH
                        : previousListingAt != null
                                ? min(previousListingAt, lastPolled.get())
                                : lastPolled.get().minus(DISCOVERY_INTERVAL);
                floor = current.stream()
                        .filter(lease -> !lease.completed())
                        .map(Lease::watermark)
                        .filter(watermark -> watermark.isBefore(lastPoll))
                        .min(Comparator.naturalOrder())
                        .orElse(lastPoll);
            }
            boolean parentMissing = shard.parentShardId()
                    .filter(parent -> !listedIds.contains(parent))
                    .isPresent();
            if (parentMissing && !firstLook) {
                gap(new StreamGap(
                        streamArn,
                        shard.parentShardId().orElseThrow(),
                        "parent shard left the stream (retention) before it was read",
                        now));
            }
            Lease lease = Lease.fresh(
                    source, streamArn, shard.shardId(), shard.parentShardId().filter(listedIds::contains), floor);
            leases.create(lease);
            current.add(lease);
        }
        return current;
    }

    /** Every lease is of this stream and listed, and every listed shard has a lease. */
    private static boolean listedExactly(List<Lease> all, String streamArn, List<Shard> listed) {
        Set<String> ids = new HashSet<>();
        listed.forEach(shard -> ids.add(shard.shardId()));
        Set<String> leased = new HashSet<>();
        for (Lease lease : all) {
            if (!lease.streamArn().equals(streamArn) || !ids.contains(lease.shardId())) {
                return false;
            }
            leased.add(lease.shardId());
        }
        return leased.containsAll(ids);
    }

    private void gap(StreamGap gap) {
        log.warn("replication gap from {}: shard {}: {}", source, gap.shardId(), gap.cause());
        reads.gap(source, gap);
        gaps.found(gap);
    }

    private void heartbeat(Instant now) {
        if (lastHeartbeat.plus(leaseDuration.dividedBy(3)).isBefore(now)) {
            leases.heartbeat(source, worker, now.plus(leaseDuration));
            lastHeartbeat = now;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static boolean parentDone(Lease lease, Map<String, Lease> byShard) {
        return lease.parentShardId()
                .map(byShard::get)
                .map(Lease::completed)
                .orElse(true); // no parent, or the parent left the stream (its lease removed, any gap recorded)
    }

    private int read(Lease held) {
        Lease lease = held;
        CachedIterator iterator = iteratorFor(lease);
        int handled = 0;
        for (int round = 0; round < BATCHES_PER_POLL; round++) {
            Instant readAt = clock.instant();
            Batch<T> batch;
            try {
                batch = shards.read(iterator.iterator(), BATCH);
            } catch (IteratorExpiredException expired) {
                iterators.remove(lease.shardId());
                iterator = iteratorFor(lease);
                batch = shards.read(iterator.iterator(), BATCH);
            }
            List<StreamedRecord<T>> records = batch.records();
            if (records.isEmpty()) {
                List<Instant> empties = new ArrayList<>(iterator.emptyAnswers());
                empties.add(readAt);
                if (empties.size() > EMPTY_ANSWERS_AT_TIP) {
                    empties.removeFirst();
                }
                // DynamoDB Streams may answer empty before data (a few times at one position): only after
                // EMPTY_ANSWERS_AT_TIP empty answers in a row is the shard known to have held nothing more
                // when the first of them was asked; that is where the watermark moves.
                Instant watermark = lease.watermark();
                if (batch.nextIterator().isEmpty()) {
                    watermark = readAt;
                } else if (empties.size() >= EMPTY_ANSWERS_AT_TIP
                        && empties.getFirst().isAfter(watermark)) {
                    watermark = empties.getFirst();
                }
                return finishRead(lease, batch, Optional.empty(), watermark, empties, handled);
            }
            Lease reading = lease;
            if (!renew(reading, records.size())) {
                return lost(lease, handled);
            }
            boolean[] kept = {true};
            applyAll(records, () -> kept[0] &= renew(reading, records.size()));
            handled += records.size();
            if (!kept[0]) {
                return lost(lease, handled);
            }
            StreamedRecord<T> last = records.getLast();
            Optional<String> checkpoint = Optional.of(last.sequenceNumber());
            if (batch.nextIterator().isEmpty()) {
                return finishRead(lease, batch, checkpoint, readAt, List.of(), handled);
            }
            // More may follow: everything up to the last record's write time is applied.
            Instant watermark = last.createdAt().isAfter(readAt) ? readAt : last.createdAt();
            if (!leases.progress(
                    lease, worker, checkpoint, watermark, 0, clock.instant().plus(leaseDuration))) {
                return lost(lease, handled);
            }
            lease = lease.advanced(checkpoint, watermark);
            iterator =
                    new CachedIterator(lease.checkpoint(), batch.nextIterator().get(), List.of());
            iterators.put(lease.shardId(), iterator);
        }
        return handled;
    }

    /** Renews the lease (and this worker's heartbeat) while a batch is applied, with the records in flight. */
    private boolean renew(Lease lease, int inFlight) {
        heartbeat(clock.instant());
        return leases.progress(
                lease,
                worker,
                Optional.empty(),
                lease.watermark(),
                inFlight,
                clock.instant().plus(leaseDuration));
    }

    /** The read ends for this poll: progress saved with {@code watermark}; the iterator kept for the next. */
    private int finishRead(
            Lease lease,
            Batch<T> batch,
            Optional<String> checkpoint,
            Instant watermark,
            List<Instant> emptyAnswers,
            int handled) {
        Optional<String> position = checkpoint.or(lease::checkpoint);
        if (!leases.progress(
                lease, worker, checkpoint, watermark, 0, clock.instant().plus(leaseDuration))) {
            return lost(lease, handled);
        }
        if (batch.nextIterator().isEmpty()) {
            leases.complete(lease, worker);
            iterators.remove(lease.shardId());
            discovery = null; // children may appear: look again next poll
        } else {
            iterators.put(
                    lease.shardId(),
                    new CachedIterator(position, batch.nextIterator().get(), emptyAnswers));
        }
        return handled;
    }

    private int lost(Lease lease, int handled) {
        log.info("lease on {} {} was taken over; stopping", source, lease.shardId());
        iterators.remove(lease.shardId());
        return handled;
    }

    private CachedIterator iteratorFor(Lease lease) {
        CachedIterator cached = iterators.get(lease.shardId());
        if (cached != null && cached.position().equals(lease.checkpoint())) {
            return cached;
        }
        return new CachedIterator(lease.checkpoint(), freshIterator(lease), List.of());
    }

    private String freshIterator(Lease lease) {
        Instant now = clock.instant();
        if (lease.checkpoint().isEmpty()
                && !lease.watermark().equals(Instant.EPOCH)
                && lease.watermark().plus(retention).isBefore(now)) {
            // Never read past its start, and not looked at for longer than the retention: its oldest
            // records may be gone; whatever is left is read from the oldest.
            gap(new StreamGap(
                    lease.streamArn(),
                    lease.shardId(),
                    "shard not read for longer than the stream's retention (since " + lease.watermark() + ")",
                    now));
        }
        try {
            return shards.iterator(lease.streamArn(), lease.shardId(), lease.checkpoint());
        } catch (CheckpointTrimmedException trimmed) {
            gap(new StreamGap(
                    lease.streamArn(),
                    lease.shardId(),
                    "checkpoint " + lease.checkpoint().orElse("") + " is older than the stream's retention",
                    clock.instant()));
            return shards.oldestIterator(lease.streamArn(), lease.shardId());
        }
    }

    /**
     * Applies a batch: devices concurrently (bounded), each device's records in stream order. A region that
     * cannot serve fails the whole batch (nothing is checkpointed); other failures park the record.
     */
    private void applyAll(List<StreamedRecord<T>> records, Runnable renew) {
        Map<Object, List<T>> byDevice = new LinkedHashMap<>();
        for (StreamedRecord<T> record : records) {
            // A row removal carries no image: device rows are never removed (decommission is a tombstone), and a
            // copied table's items expire by TTL in every region on their own.
            record.newImage()
                    .ifPresent(image -> byDevice.computeIfAbsent(sink.orderingKey(image), d -> new ArrayList<>())
                            .add(image));
        }
        List<Future<?>> work = new ArrayList<>();
        try {
            Duration renewEvery = leaseDuration.dividedBy(3);
            for (List<T> deviceRecords : byDevice.values()) {
                // Submitting a large batch waits on the apply slots (the IoT pacing): keep the lease meanwhile.
                while (!applySlots.tryAcquire(renewEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                    renew.run();
                }
                work.add(applyThreads.submit(() -> {
                    try {
                        deviceRecords.forEach(this::handle);
                    } finally {
                        applySlots.release();
                    }
                }));
            }
            RuntimeException first = null;
            for (Future<?> future : work) {
                try {
                    while (true) {
                        try {
                            future.get(renewEvery.toMillis(), TimeUnit.MILLISECONDS);
                            break;
                        } catch (TimeoutException slow) {
                            renew.run();
                        }
                    }
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException runtime
                                ? runtime
                                : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.forEach(future -> future.cancel(true));
            throw new DependencyUnavailableException(
                    "replication from " + source, "interrupted while applying", Duration.ofSeconds(1), e);
        }
    }

    /** Applies one record; region outages propagate (no checkpoint), other failures retry, then park. */
    private void handle(T record) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attemptsBeforeParking; attempt++) {
            try {
                sink.apply(source, record);
                return;
            } catch (DependencyUnavailableException unavailable) {
                throw unavailable;
            } catch (RuntimeException e) {
                last = e;
                sink.failedAttempt(source);
                log.warn(
                        "applying {} from {} failed (attempt {}): {}",
                        sink.describe(record),
                        source,
                        attempt,
                        e.getMessage());
            }
        }
        sink.park(source, record, last, attemptsBeforeParking);
    }

    /** Stops the apply threads. */
    public void close() {
        applyThreads.shutdownNow();
    }

    /** A listing of the stream: when it was taken, and whether this poll took it. */
    private record Discovery(
            Optional<String> streamArn, List<Shard> shards, Instant at, Instant askedAt, boolean fresh) {
        Discovery cached() {
            return new Discovery(streamArn, shards, at, askedAt, false);
        }
    }

    /**
     * An iterator kept between polls: the checkpoint it continues from, and when the last empty answers in a
     * row (at most {@link #EMPTY_ANSWERS_AT_TIP}) were asked.
     */
    private record CachedIterator(Optional<String> position, String iterator, List<Instant> emptyAnswers) {
        CachedIterator {
            emptyAnswers = List.copyOf(emptyAnswers);
        }
    }
}
