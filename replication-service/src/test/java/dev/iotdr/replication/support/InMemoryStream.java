package dev.iotdr.replication.support;

import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.StreamShards;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source region's stream with one open shard, and the consumer's leases, in memory. Tests can duplicate
 * records (at-least-once delivery) and roll a checkpoint back (a worker that died before saving it).
 */
public final class InMemoryStream implements StreamShards, ShardLeases {
    public static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/devices/stream/1";
    private static final String SHARD = "shardId-0001";

    private final List<StreamedRecord> records = new ArrayList<>();
    private final Map<String, Lease> leases = new HashMap<>();

    public synchronized void append(DeviceRecord record) {
        records.add(new StreamedRecord(Integer.toString(records.size() + 1), Optional.of(record)));
    }

    /** The stream delivers a record a second time (DynamoDB Streams promises each record once; tests do not rely on it). */
    public synchronized void duplicateLast() {
        if (!records.isEmpty()) {
            append(records.getLast().newImage().orElseThrow());
        }
    }

    public synchronized int size() {
        return records.size();
    }

    /** The lease's checkpoint goes back to {@code sequence} (0: none), as if the worker died before saving. */
    public synchronized void rollBackCheckpoint(int sequence) {
        Lease lease = leases.get(SHARD);
        if (lease != null) {
            leases.put(
                    SHARD,
                    new Lease(
                            lease.streamArn(),
                            lease.shardId(),
                            lease.parentShardId(),
                            lease.owner(),
                            lease.expiresAt(),
                            sequence == 0 ? Optional.empty() : Optional.of(Integer.toString(sequence)),
                            false));
        }
    }

    public synchronized int checkpoint() {
        Lease lease = leases.get(SHARD);
        return lease == null ? 0 : lease.checkpoint().map(Integer::parseInt).orElse(0);
    }

    @Override
    public Optional<String> latestStreamArn() {
        return Optional.of(STREAM);
    }

    @Override
    public List<Shard> shards(String streamArn) {
        return List.of(new Shard(SHARD, Optional.empty()));
    }

    @Override
    public String iterator(String streamArn, String shardId, Optional<String> checkpoint) {
        return Integer.toString(checkpoint.map(Integer::parseInt).orElse(0));
    }

    @Override
    public synchronized Batch read(String iterator, int limit) {
        int from = Integer.parseInt(iterator);
        int to = Math.min(records.size(), from + limit);
        return new Batch(List.copyOf(records.subList(from, to)), Optional.of(Integer.toString(to)));
    }

    @Override
    public synchronized void ensure(String streamArn, String shardId, Optional<String> parentShardId) {
        leases.putIfAbsent(
                shardId,
                new Lease(streamArn, shardId, parentShardId, Optional.empty(), Instant.EPOCH, Optional.empty(), false));
    }

    @Override
    public synchronized List<Lease> all(String streamArn) {
        return List.copyOf(leases.values());
    }

    @Override
    public synchronized Optional<Lease> take(Lease lease, String worker, Instant now, Instant until) {
        Lease current = leases.get(lease.shardId());
        boolean free = current.owner().isEmpty()
                || current.owner().get().equals(worker)
                || current.expiresAt().isBefore(now);
        if (!free) {
            return Optional.empty();
        }
        Lease taken = new Lease(
                current.streamArn(),
                current.shardId(),
                current.parentShardId(),
                Optional.of(worker),
                until,
                current.checkpoint(),
                current.completed());
        leases.put(current.shardId(), taken);
        return Optional.of(taken);
    }

    @Override
    public synchronized boolean checkpoint(Lease lease, String worker, String sequenceNumber, Instant until) {
        Lease current = leases.get(lease.shardId());
        if (!current.owner().equals(Optional.of(worker))) {
            return false;
        }
        leases.put(
                current.shardId(),
                new Lease(
                        current.streamArn(),
                        current.shardId(),
                        current.parentShardId(),
                        current.owner(),
                        until,
                        Optional.of(sequenceNumber),
                        current.completed()));
        return true;
    }

    @Override
    public synchronized boolean complete(Lease lease, String worker) {
        return false; // the shard stays open
    }
}
