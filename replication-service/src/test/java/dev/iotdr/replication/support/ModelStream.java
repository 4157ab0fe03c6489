package dev.iotdr.replication.support;

import dev.iotdr.replication.stream.application.StreamShards;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A model of a DynamoDB stream as AWS documents it: shards that split (the parent closes, two children
 * take its keys), records of one item always in one shard and in order, {@code GetRecords} that may answer
 * empty before data, records trimmed after the retention period, and closed shards that leave the listing
 * once all their records are trimmed. Iterators are {@code shardId|position}.
 */
public final class ModelStream implements StreamShards<DeviceRecord> {
    public static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/devices/stream/model";

    private final Map<String, ModelShard> shards = new LinkedHashMap<>();
    private final Clock clock;
    private final Random random;
    private final double emptyAnswers;
    private long sequence;
    private boolean anythingTrimmed;
    private final java.util.Set<String> trimmedUnapplied = new java.util.HashSet<>();
    private int nextShard;

    /**
     * @param emptyAnswers the share of record positions that a reader reaches only after one to three empty
     *     answers, each with an iterator one step closer (a reader that drops it starts over)
     */
    public ModelStream(Clock clock, Random random, double emptyAnswers) {
        this.clock = clock;
        this.random = random;
        this.emptyAnswers = emptyAnswers;
        newShard(Optional.empty(), 0, 0);
    }

    /** One shard: the keys it owns (hash prefix of {@code depth} bits), its records, whether it is closed. */
    private static final class ModelShard {
        final String id;
        final Optional<String> parent;
        final int depth;
        final int prefix;
        final List<Entry> records = new ArrayList<>();
        int trimmed;
        boolean closed;
        Instant closedAt;
        boolean gone;

        ModelShard(String id, Optional<String> parent, int depth, int prefix) {
            this.id = id;
            this.parent = parent;
            this.depth = depth;
            this.prefix = prefix;
        }

        boolean owns(DeviceId device) {
            int hash = device.value().hashCode() & 0x7fffffff;
            return (hash & ((1 << depth) - 1)) == prefix;
        }
    }

    /** A record, and how many empty answers a reader gets at its position before it (AWS: sparse shards). */
    private record Entry(String sequenceNumber, Instant createdAt, DeviceRecord record, int emptyBefore) {}

    private ModelShard newShard(Optional<String> parent, int depth, int prefix) {
        ModelShard shard = new ModelShard("shardId-%04d".formatted(nextShard++), parent, depth, prefix);
        shards.put(shard.id, shard);
        return shard;
    }

    /** The source table writes a record: it goes to the open shard that owns the device. */
    public synchronized void append(DeviceRecord record) {
        ModelShard shard = shards.values().stream()
                .filter(s -> !s.closed && s.owns(record.deviceId()))
                .findFirst()
                .orElseThrow();
        int emptyBefore = random.nextDouble() < emptyAnswers ? 1 + random.nextInt(3) : 0;
        shard.records.add(new Entry("%012d".formatted(++sequence), clock.instant(), record, emptyBefore));
    }

    /** The last record written is delivered again (tests do not rely on exactly-once). */
    public synchronized void duplicateLast() {
        shards.values().stream()
                .filter(s -> !s.closed && !s.records.isEmpty())
                .reduce((a, b) -> b)
                .ifPresent(s -> append(s.records.getLast().record()));
    }

    /** The {@code pick}-th open shard (modulo) splits into two children; at most 4 levels deep. */
    public synchronized void split(int pick) {
        List<ModelShard> open =
                shards.values().stream().filter(s -> !s.closed && s.depth < 4).toList();
        if (open.isEmpty()) {
            return;
        }
        ModelShard parent = open.get(Math.floorMod(pick, open.size()));
        parent.closed = true;
        parent.closedAt = clock.instant();
        newShard(Optional.of(parent.id), parent.depth + 1, parent.prefix);
        newShard(Optional.of(parent.id), parent.depth + 1, parent.prefix | (1 << parent.depth));
    }

    /**
     * Retention removes every record written before {@code cutoff}; a closed shard left with none leaves the
     * listing. A removed record beyond its shard's saved checkpoint ({@code checkpoints}: shard id to the last
     * sequence number a reader saved as applied) was never applied for good: a read may have returned it to a
     * worker that lost its lease before applying it, and no read returned it since.
     */
    public synchronized void trimBefore(Instant cutoff, Map<String, Optional<String>> checkpoints) {
        for (ModelShard shard : shards.values()) {
            Optional<String> checkpoint = checkpoints.getOrDefault(shard.id, Optional.empty());
            while (shard.trimmed < shard.records.size()
                    && shard.records.get(shard.trimmed).createdAt().isBefore(cutoff)) {
                Entry entry = shard.records.get(shard.trimmed);
                if (checkpoint.isEmpty() || entry.sequenceNumber().compareTo(checkpoint.get()) > 0) {
                    trimmedUnapplied.add(
                            entry.record().deviceId() + "@" + entry.record().version());
                }
                shard.trimmed++;
                anythingTrimmed = true;
            }
            if (shard.closed && shard.trimmed == shard.records.size() && shard.closedAt.isBefore(cutoff)) {
                shard.gone = true;
            }
        }
    }

    /** Every record ever written, with its shard, for the checks. */
    public synchronized List<DeviceRecord> written() {
        return shards.values().stream()
                .flatMap(s -> s.records.stream())
                .sorted((a, b) -> a.sequenceNumber().compareTo(b.sequenceNumber()))
                .map(Entry::record)
                .toList();
    }

    /** Records ({@code deviceId@version}) retention removed beyond their shard's saved checkpoint. */
    public synchronized java.util.Set<String> trimmedUnapplied() {
        return java.util.Set.copyOf(trimmedUnapplied);
    }

    /** Whether retention removed any record. */
    public synchronized boolean anythingTrimmed() {
        return anythingTrimmed;
    }

    public synchronized int openShards() {
        return (int) shards.values().stream().filter(s -> !s.gone && !s.closed).count();
    }

    @Override
    public Optional<String> latestStreamArn() {
        return Optional.of(STREAM);
    }

    @Override
    public synchronized List<Shard> shards(String streamArn) {
        return shards.values().stream()
                .filter(s -> !s.gone)
                .map(s -> new Shard(s.id, s.parent))
                .toList();
    }

    @Override
    public synchronized String iterator(String streamArn, String shardId, Optional<String> checkpoint) {
        ModelShard shard = live(shardId);
        if (checkpoint.isEmpty()) {
            return oldestIterator(streamArn, shardId);
        }
        int after = -1;
        for (int i = 0; i < shard.records.size(); i++) {
            if (shard.records.get(i).sequenceNumber().equals(checkpoint.get())) {
                after = i;
            }
        }
        if (after < 0) {
            throw new IllegalStateException("checkpoint " + checkpoint.get() + " is not in " + shardId);
        }
        if (after + 1 < shard.trimmed) {
            throw new CheckpointTrimmedException("checkpoint " + checkpoint.get() + " trimmed", null);
        }
        return shardId + "|" + (after + 1) + "|0";
    }

    @Override
    public synchronized String oldestIterator(String streamArn, String shardId) {
        return shardId + "|" + live(shardId).trimmed + "|0";
    }

    @Override
    public synchronized Batch<DeviceRecord> read(String iterator, int limit) {
        String[] parts = iterator.split("\\|");
        String shardId = parts[0];
        int position = Integer.parseInt(parts[1]);
        int skipped = Integer.parseInt(parts[2]);
        ModelShard shard = live(shardId);
        if (position < shard.trimmed) {
            throw new IteratorExpiredException("iterator points at trimmed records", null);
        }
        boolean atEnd = position >= shard.records.size();
        if (!atEnd && skipped < shard.records.get(position).emptyBefore()) {
            // Empty although data follows; only the returned iterator gets closer to it.
            return new Batch<>(List.of(), Optional.of(shardId + "|" + position + "|" + (skipped + 1)));
        }
        int to = Math.min(shard.records.size(), position + Math.min(limit, 1 + random.nextInt(7)));
        List<StreamedRecord<DeviceRecord>> records = new ArrayList<>();
        for (Entry entry : shard.records.subList(position, to)) {
            records.add(new StreamedRecord<>(entry.sequenceNumber(), entry.createdAt(), Optional.of(entry.record())));
        }
        boolean finished = shard.closed && to >= shard.records.size();
        return new Batch<>(records, finished ? Optional.empty() : Optional.of(shardId + "|" + to + "|0"));
    }

    private ModelShard live(String shardId) {
        ModelShard shard = shards.get(shardId);
        if (shard == null || shard.gone) {
            throw new ShardGoneException("shard " + shardId + " is gone", null);
        }
        return shard;
    }
}
