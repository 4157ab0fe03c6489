package dev.iotdr.replication.support;

import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Leases and source state shared by every worker, in memory, with the DynamoDB adapter's conditions. */
public final class InMemoryLeases implements ShardLeases, SourceReads {
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Instant> workers = new HashMap<>();
    private final Map<Region, SourceState> states = new HashMap<>();

    private static String key(Lease lease) {
        return lease.source() + "|" + lease.streamArn() + "|" + lease.shardId();
    }

    @Override
    public synchronized List<Lease> leases(Region source) {
        return leases.values().stream().filter(l -> l.source().equals(source)).toList();
    }

    @Override
    public synchronized void create(Lease lease) {
        leases.putIfAbsent(key(lease), lease);
    }

    @Override
    public synchronized Optional<Lease> take(Lease lease, String worker, Instant now, Instant until) {
        Lease current = leases.get(key(lease));
        if (current == null
                || !(current.owner().isEmpty()
                        || current.owner().get().equals(worker)
                        || !current.expiresAt().isAfter(now))) {
            return Optional.empty();
        }
        return Optional.of(put(current, Optional.of(worker), until));
    }

    @Override
    public synchronized Optional<Lease> steal(Lease lease, String worker, Instant until) {
        Lease current = leases.get(key(lease));
        if (current == null
                || !current.owner().equals(lease.owner())
                || !current.expiresAt().equals(lease.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(put(current, Optional.of(worker), until));
    }

    private Lease put(Lease current, Optional<String> owner, Instant until) {
        Lease taken = new Lease(
                current.source(),
                current.streamArn(),
                current.shardId(),
                current.parentShardId(),
                owner,
                until,
                current.checkpoint(),
                current.completed(),
                current.watermark(),
                current.inFlight());
        leases.put(key(current), taken);
        return taken;
    }

    @Override
    public synchronized boolean progress(
            Lease lease, String worker, Optional<String> checkpoint, Instant watermark, int inFlight, Instant until) {
        Lease current = leases.get(key(lease));
        if (current == null || !current.owner().equals(Optional.of(worker))) {
            return false;
        }
        leases.put(
                key(current),
                new Lease(
                        current.source(),
                        current.streamArn(),
                        current.shardId(),
                        current.parentShardId(),
                        current.owner(),
                        until,
                        checkpoint.or(current::checkpoint),
                        current.completed(),
                        watermark,
                        inFlight));
        return true;
    }

    @Override
    public synchronized boolean complete(Lease lease, String worker) {
        Lease current = leases.get(key(lease));
        if (current == null || !current.owner().equals(Optional.of(worker))) {
            return false;
        }
        leases.put(
                key(current),
                new Lease(
                        current.source(),
                        current.streamArn(),
                        current.shardId(),
                        current.parentShardId(),
                        current.owner(),
                        current.expiresAt(),
                        current.checkpoint(),
                        true,
                        current.watermark(),
                        0));
        return true;
    }

    @Override
    public synchronized void remove(Lease lease) {
        leases.remove(key(lease));
    }

    @Override
    public synchronized void heartbeat(Region source, String worker, Instant until) {
        workers.put(source + "|" + worker, until);
    }

    @Override
    public synchronized Set<String> workers(Region source, Instant now) {
        Set<String> live = new HashSet<>();
        workers.forEach((key, until) -> {
            if (key.startsWith(source + "|") && until.isAfter(now)) {
                live.add(key.substring(key.indexOf('|') + 1));
            }
        });
        return live;
    }

    @Override
    public synchronized void polled(Region source, Optional<String> streamArn, Instant at) {
        SourceState before = states.get(source);
        if (before != null && !before.lastPolledAt().isBefore(at)) {
            return;
        }
        states.put(
                source,
                new SourceState(
                        streamArn,
                        at,
                        before == null ? 0 : before.gaps(),
                        before == null ? Optional.empty() : before.lastGap()));
    }

    @Override
    public synchronized void gap(Region source, StreamGap gap) {
        SourceState before = states.get(source);
        states.put(
                source,
                new SourceState(
                        before == null ? Optional.empty() : before.streamArn(),
                        before == null ? Instant.EPOCH : before.lastPolledAt(),
                        (before == null ? 0 : before.gaps()) + 1,
                        Optional.of(gap)));
    }

    @Override
    public synchronized Optional<SourceState> state(Region source) {
        return Optional.ofNullable(states.get(source))
                .filter(state -> !state.lastPolledAt().equals(Instant.EPOCH));
    }

    /** Shards each worker holds unexpired at {@code now}, among unfinished leases. */
    public synchronized Map<String, Integer> heldPerWorker(Instant now) {
        Map<String, Integer> held = new HashMap<>();
        for (Lease lease : new ArrayList<>(leases.values())) {
            if (!lease.completed()
                    && lease.owner().isPresent()
                    && lease.expiresAt().isAfter(now)) {
                held.merge(lease.owner().get(), 1, Integer::sum);
            }
        }
        return held;
    }

    /** Every lease loses its checkpoint, as if its worker died before saving any: the next read replays. */
    public synchronized void loseCheckpoints() {
        leases.replaceAll((key, l) -> new Lease(
                l.source(),
                l.streamArn(),
                l.shardId(),
                l.parentShardId(),
                l.owner(),
                l.expiresAt(),
                Optional.empty(),
                l.completed(),
                l.watermark(),
                l.inFlight()));
    }

    /** Every checkpoint, for the checks. */
    public synchronized Map<String, Optional<String>> checkpoints() {
        Map<String, Optional<String>> checkpoints = new HashMap<>();
        leases.values().forEach(l -> checkpoints.put(l.shardId(), l.checkpoint()));
        return checkpoints;
    }
}
