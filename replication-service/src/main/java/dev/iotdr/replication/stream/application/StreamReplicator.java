package dev.iotdr.replication.stream.application;

import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.stream.application.ShardLeases.Lease;
import dev.iotdr.replication.stream.application.StreamShards.Batch;
import dev.iotdr.replication.stream.application.StreamShards.Shard;
import dev.iotdr.replication.stream.application.StreamShards.StreamedRecord;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source region's device-table stream and hands every record to the {@link ReplicationIntake};
 * one poll per {@link #poll()} call. Several workers may run it: shard leases decide who reads what.
 *
 * <p>Failures: when a region cannot serve (source stream or target registry unavailable) the poll stops
 * without moving the checkpoint and the next poll tries again, so nothing is skipped during an outage. A
 * record that fails for another reason is retried a few times, then parked in the dead-letter store with
 * its cause and the shard moves on.
 */
public final class StreamReplicator {
    private static final Logger log = LoggerFactory.getLogger(StreamReplicator.class);
    private static final int BATCH = 100;
    private static final int BATCHES_PER_POLL = 20;

    private final Region source;
    private final StreamShards shards;
    private final ShardLeases leases;
    private final ReplicationIntake intake;
    private final String worker;
    private final Duration leaseDuration;
    private final int attemptsBeforeParking;
    private final Clock clock;

    public StreamReplicator(
            Region source,
            StreamShards shards,
            ShardLeases leases,
            ReplicationIntake intake,
            String worker,
            Duration leaseDuration,
            int attemptsBeforeParking,
            Clock clock) {
        this.source = source;
        this.shards = shards;
        this.leases = leases;
        this.intake = intake;
        this.worker = worker;
        this.leaseDuration = leaseDuration;
        this.attemptsBeforeParking = attemptsBeforeParking;
        this.clock = clock;
    }

    public Region source() {
        return source;
    }

    /** One poll: discover shards, take leases, read what is new. Returns the number of records handled. */
    public int poll() {
        try {
            Optional<String> stream = shards.latestStreamArn();
            if (stream.isEmpty()) {
                return 0;
            }
            String streamArn = stream.get();
            for (Shard shard : shards.shards(streamArn)) {
                leases.ensure(streamArn, shard.shardId(), shard.parentShardId());
            }
            List<Lease> all = leases.all(streamArn);
            Map<String, Lease> byShard = all.stream().collect(Collectors.toMap(Lease::shardId, Function.identity()));
            int handled = 0;
            boolean allHeld = true;
            for (Lease lease :
                    all.stream().sorted(Comparator.comparing(Lease::shardId)).toList()) {
                if (lease.completed() || !parentDone(lease, byShard)) {
                    continue;
                }
                Instant now = clock.instant();
                Optional<Lease> held = leases.take(lease, worker, now, now.plus(leaseDuration));
                if (held.isPresent()) {
                    handled += read(held.get());
                } else {
                    allHeld = false; // another worker reads that shard; we cannot say it is caught up
                }
            }
            intake.progress().source(source).caughtUp(handled == 0 && allHeld);
            return handled;
        } catch (DependencyUnavailableException unavailable) {
            // Keep what the last successful poll learned: if it had read everything, nothing written before
            // then is missing here; what the source wrote after it is the outage's exposure, not lag.
            log.debug("replication from {} waits: {}", source, unavailable.getMessage());
            return 0;
        }
    }

    private static boolean parentDone(Lease lease, Map<String, Lease> byShard) {
        return lease.parentShardId()
                .map(byShard::get)
                .map(Lease::completed)
                .orElse(true); // no parent, or the parent is gone from the stream (trimmed): nothing to wait for
    }

    private int read(Lease lease) {
        String iterator = shards.iterator(lease.streamArn(), lease.shardId(), lease.checkpoint());
        int handled = 0;
        for (int round = 0; round < BATCHES_PER_POLL; round++) {
            Batch batch = shards.read(iterator, BATCH);
            List<StreamedRecord> records = batch.records();
            for (int index = 0; index < records.size(); index++) {
                StreamedRecord record = records.get(index);
                intake.progress().source(source).backlog(records.size() - index);
                handle(record);
                handled++;
                if (!leases.checkpoint(
                        lease, worker, record.sequenceNumber(), clock.instant().plus(leaseDuration))) {
                    log.info("lease on {} {} was taken over; stopping", source, lease.shardId());
                    return handled;
                }
            }
            intake.progress().source(source).backlog(0);
            if (batch.nextIterator().isEmpty()) {
                leases.complete(lease, worker);
                return handled;
            }
            if (batch.records().isEmpty()) {
                return handled;
            }
            iterator = batch.nextIterator().get();
        }
        return handled;
    }

    /** Applies one record; region outages propagate (no checkpoint), other failures retry, then park. */
    private void handle(StreamedRecord record) {
        if (record.newImage().isEmpty()) {
            return; // a row removal: device rows are never removed (decommission is a tombstone)
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attemptsBeforeParking; attempt++) {
            try {
                intake.accept(source, record.newImage().get());
                return;
            } catch (DependencyUnavailableException unavailable) {
                throw unavailable;
            } catch (RuntimeException e) {
                last = e;
                intake.failedAttempt(source);
                log.warn(
                        "applying {} v{} from {} failed (attempt {}): {}",
                        record.newImage().get().deviceId(),
                        record.newImage().get().version(),
                        source,
                        attempt,
                        e.getMessage());
            }
        }
        intake.park(source, record.newImage().get(), last, attemptsBeforeParking);
    }
}
