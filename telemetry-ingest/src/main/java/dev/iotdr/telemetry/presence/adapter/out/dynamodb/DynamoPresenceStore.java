package dev.iotdr.telemetry.presence.adapter.out.dynamodb;

import static dev.iotdr.telemetry.presence.adapter.out.dynamodb.PresenceTable.*;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.telemetry.presence.application.PresenceStore;
import dev.iotdr.telemetry.presence.domain.DevicePresence;
import dev.iotdr.telemetry.presence.domain.PresenceEvent;
import dev.iotdr.telemetry.presence.domain.RegionPresence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Presence on DynamoDB ({@link PresenceTable} has the layout): an event is applied by an optimistic transaction
 * that writes the device's new state only if the item is still at the revision it was computed from, and moves the
 * device's count shard by the change in the same transaction; a concurrent writer (or a transaction conflict) makes
 * it read again after a short jittered pause.
 */
final class DynamoPresenceStore implements PresenceStore {
    private static final int ATTEMPTS = 20;

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;
    /**
     * Events are applied by at most {@code writers} threads of this instance at once, each for its own count
     * shards (so one device's events, and one shard's, one at a time): other instances are kept apart by the
     * conditional writes, and in this one nothing conflicts. On DynamoDB, {@value PresenceTable#SHARDS} writers; on
     * the emulator, one: its transactions copy the table while other requests change it, and fail or lose a
     * count update when two run at once (bench/RESULTS.md; the local stack sets it).
     */
    private final ReentrantLock[] shards;

    private final Runnable heal;

    DynamoPresenceStore(DynamoDbClient dynamo, GuardedAwsCalls calls, String table, int writers, Runnable heal) {
        if (writers < 1 || writers > SHARDS) {
            throw new IllegalArgumentException("presence writers must be 1 to " + SHARDS + ", was " + writers);
        }
        this.shards = new ReentrantLock[writers];
        this.heal = heal;
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new ReentrantLock();
        }
    }

    @Override
    public Applied apply(PresenceEvent event) {
        ReentrantLock shard = shards[shardOf(event.clientId()) % shards.length];
        shard.lock();
        try {
            return applyAlone(event);
        } catch (ResourceNotFoundException emptied) {
            // the region was emptied (restored from an outage): heal it, and let the event come back later
            heal.run();
            throw new DependencyUnavailableException(
                    "dynamodb:TransactWriteItems",
                    "table " + table + " is missing; it is being created again",
                    java.time.Duration.ofSeconds(2),
                    emptied);
        } finally {
            shard.unlock();
        }
    }

    private Applied applyAlone(PresenceEvent event) {
        Map<String, AttributeValue> key = Map.of(
                PK,
                AttributeValue.fromS(event.clientId()),
                SK,
                AttributeValue.fromS(event.region().code()));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = calls.call(
                            AwsApi.DYNAMODB_GET_ITEM,
                            () -> dynamo.getItem(
                                    r -> r.tableName(table).key(key).consistentRead(true)))
                    .item();
            boolean exists = item != null && !item.isEmpty();
            Optional<DevicePresence> current =
                    exists ? Optional.of(presence(event.clientId(), item)) : Optional.empty();
            Optional<DevicePresence> next =
                    current.isPresent() ? current.get().after(event) : Optional.of(DevicePresence.first(event));
            if (next.isEmpty()) {
                return Applied.STALE;
            }
            long revision = exists ? Long.parseLong(item.get(REVISION).n()) : 0;
            long delta = (next.get().connected() ? 1 : 0)
                    - (current.map(DevicePresence::connected).orElse(false) ? 1 : 0);
            if (write(key, next.get(), exists, revision, delta, event)) {
                return Applied.APPLIED;
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(5, 50L << Math.min(attempt, 4)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while applying presence", e);
            }
        }
        throw new IllegalStateException(
                "presence of " + event.clientId() + " kept changing under " + ATTEMPTS + " attempts");
    }

    /** The conditional write of the device's state and its count shard; false when another writer came first. */
    private boolean write(
            Map<String, AttributeValue> key,
            DevicePresence next,
            boolean exists,
            long revision,
            long delta,
            PresenceEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(SESSION, AttributeValue.fromS(next.session()));
        item.put(SESSION_CONNECTED_AT, n(next.sessionConnectedAt()));
        item.put(CONNECTED, AttributeValue.fromBool(next.connected()));
        item.put(SINCE, n(next.since()));
        item.put(LAST_EVENT_AT, n(next.lastEventAt()));
        item.put(REVISION, n(revision + 1));
        next.disconnectReason().ifPresent(reason -> item.put(DISCONNECT_REASON, AttributeValue.fromS(reason)));
        TransactWriteItem put = TransactWriteItem.builder()
                .put(p -> {
                    p.tableName(table).item(item);
                    if (exists) {
                        p.conditionExpression("#rev = :rev")
                                .expressionAttributeNames(Map.of("#rev", REVISION))
                                .expressionAttributeValues(Map.of(":rev", n(revision)));
                    } else {
                        p.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
                    }
                })
                .build();
        TransactWriteItem count = TransactWriteItem.builder()
                .update(u -> u.tableName(table)
                        .key(Map.of(
                                PK, AttributeValue.fromS(REGION_PK),
                                SK, AttributeValue.fromS(shard(event.region().code(), event.clientId()))))
                        .updateExpression("ADD #c :d SET #le = :t")
                        .expressionAttributeNames(Map.of("#c", CONNECTED, "#le", LAST_EVENT_AT))
                        .expressionAttributeValues(Map.of(":d", n(delta), ":t", n(event.timestamp()))))
                .build();
        try {
            calls.run(
                    AwsApi.DYNAMODB_TRANSACT_WRITE_ITEMS,
                    () -> dynamo.transactWriteItems(r -> r.transactItems(put, count)));
            return true;
        } catch (TransactionCanceledException changedOrConflicting) {
            // the item moved on since the read (ConditionalCheckFailed) or another transaction held it
            // (TransactionConflict): either way, read again
            return false;
        }
    }

    private static DevicePresence presence(String clientId, Map<String, AttributeValue> item) {
        return new DevicePresence(
                clientId,
                Region.of(item.get(SK).s()),
                item.get(SESSION).s(),
                Long.parseLong(item.get(SESSION_CONNECTED_AT).n()),
                item.get(CONNECTED).bool(),
                Long.parseLong(item.get(SINCE).n()),
                Long.parseLong(item.get(LAST_EVENT_AT).n()),
                Optional.ofNullable(item.get(DISCONNECT_REASON)).map(AttributeValue::s));
    }

    @Override
    public List<DevicePresence> device(String clientId) {
        return calls
                .call(
                        AwsApi.DYNAMODB_QUERY,
                        () -> dynamo.query(r -> r.tableName(table)
                                .keyConditionExpression("#pk = :pk")
                                .expressionAttributeNames(Map.of("#pk", PK))
                                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(clientId)))))
                .items()
                .stream()
                .map(item -> presence(clientId, item))
                .toList();
    }

    @Override
    public RegionPresence region(Region region) {
        List<Map<String, AttributeValue>> shards = calls.call(
                        AwsApi.DYNAMODB_QUERY,
                        () -> dynamo.query(r -> r.tableName(table)
                                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :region)")
                                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                                .expressionAttributeValues(Map.of(
                                        ":pk", AttributeValue.fromS(REGION_PK),
                                        ":region", AttributeValue.fromS(region.code() + "#")))
                                .consistentRead(true)))
                .items();
        long connected = 0;
        Optional<Long> last = Optional.empty();
        for (Map<String, AttributeValue> shard : shards) {
            connected += Long.parseLong(shard.get(CONNECTED).n());
            long at = Long.parseLong(shard.get(LAST_EVENT_AT).n());
            last = Optional.of(last.map(l -> Math.max(l, at)).orElse(at));
        }
        return new RegionPresence(region, connected, last);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
