package dev.iotdr.replication.registry.adapter.out.dynamodb;

import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.PK;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.SK;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.n;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.s;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Applied versions, dead letters and the state's epoch in this region's replication-state table, and the
 * dead-letter count in its coordination table, changed in one transaction with the dead letter (layout:
 * {@link ReplicationStateTable}).
 */
final class DynamoReplicationState implements AppliedVersions, DeadLetters {
    private static final int MAX_CAUSE = 2000;
    private static final String VERSION = "version";
    private static final String TIE = "tie";

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;
    private final String coordination;
    private volatile Instant since;

    DynamoReplicationState(DynamoDbClient dynamo, GuardedAwsCalls calls, String table, String coordination) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
        this.coordination = coordination;
    }

    @Override
    public RecordRank get(DeviceId device) {
        var response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(table)
                        .key(ReplicationStateTable.applied(device))
                        .consistentRead(true)));
        if (!response.hasItem() || !response.item().containsKey(VERSION)) {
            return RecordRank.NONE;
        }
        AttributeValue tie = response.item().get(TIE);
        return new RecordRank(
                Long.parseLong(response.item().get(VERSION).n()), tie != null && tie.s() != null ? tie.s() : "");
    }

    @Override
    public boolean advance(DeviceId device, RecordRank applied) {
        Map<String, AttributeValue> item = new HashMap<>(ReplicationStateTable.applied(device));
        item.put(VERSION, n(applied.version()));
        item.put(TIE, s(applied.tie()));
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk) OR #version < :version"
                                    + " OR (#version = :version AND (attribute_not_exists(#tie) OR #tie <> :tie))")
                            .expressionAttributeNames(Map.of("#pk", PK, "#version", VERSION, "#tie", TIE))
                            .expressionAttributeValues(
                                    Map.of(":version", n(applied.version()), ":tie", s(applied.tie())))));
            return true;
        } catch (ConditionalCheckFailedException notNewer) {
            return false;
        }
    }

    @Override
    public Instant since() {
        Instant known = since;
        if (known != null) {
            return known;
        }
        Instant now = Instant.now();
        Map<String, AttributeValue> item = new HashMap<>(ReplicationStateTable.epoch());
        item.put("since", s(now.toString()));
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
            since = now;
        } catch (ConditionalCheckFailedException exists) {
            since = Instant.parse(calls.call(
                            AwsApi.DYNAMODB_GET_ITEM,
                            () -> dynamo.getItem(r -> r.tableName(table)
                                    .key(ReplicationStateTable.epoch())
                                    .consistentRead(true)))
                    .item()
                    .get("since")
                    .s());
        }
        return since;
    }

    /** Forgets the cached epoch (the table was re-created). */
    void forgetEpoch() {
        since = null;
    }

    /**
     * A new dead letter and the counter move in one transaction; a device parked again only replaces its
     * item (the counter already counts it).
     */
    @Override
    public void park(ParkedRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(ReplicationStateTable.parked(record.deviceId()));
        item.put("deviceId", s(record.deviceId().value()));
        item.put("version", n(record.version()));
        item.put("sourceRegion", s(record.sourceRegion()));
        item.put(
                "cause",
                s(record.cause().length() > MAX_CAUSE ? record.cause().substring(0, MAX_CAUSE) : record.cause()));
        item.put("attempts", n(record.attempts()));
        item.put("parkedAt", s(record.parkedAt().toString()));
        while (true) {
            try {
                calls.run(
                        AwsApi.DYNAMODB_TRANSACT_WRITE_ITEMS,
                        () -> dynamo.transactWriteItems(r -> r.transactItems(
                                TransactWriteItem.builder()
                                        .put(p -> p.tableName(table)
                                                .item(item)
                                                .conditionExpression("attribute_not_exists(#pk)")
                                                .expressionAttributeNames(Map.of("#pk", PK)))
                                        .build(),
                                counter(1))));
                return;
            } catch (TransactionCanceledException cancelled) {
                if (!conditionFailed(cancelled)) {
                    throw cancelled;
                }
            }
            try {
                // Parked before: replace the item, the count stays; if a re-drive removed it meanwhile, the
                // transaction above runs again and counts it.
                calls.run(
                        AwsApi.DYNAMODB_PUT_ITEM,
                        () -> dynamo.putItem(r -> r.tableName(table)
                                .item(item)
                                .conditionExpression("attribute_exists(#pk)")
                                .expressionAttributeNames(Map.of("#pk", PK))));
                return;
            } catch (ConditionalCheckFailedException removedMeanwhile) {
                // go round
            }
        }
    }

    @Override
    public void remove(DeviceId device) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_TRANSACT_WRITE_ITEMS,
                    () -> dynamo.transactWriteItems(r -> r.transactItems(
                            TransactWriteItem.builder()
                                    .delete(d -> d.tableName(table)
                                            .key(ReplicationStateTable.parked(device))
                                            .conditionExpression("attribute_exists(#pk)")
                                            .expressionAttributeNames(Map.of("#pk", PK)))
                                    .build(),
                            counter(-1))));
        } catch (TransactionCanceledException cancelled) {
            if (!conditionFailed(cancelled)) {
                throw cancelled;
            }
            // not parked: nothing to remove
        }
    }

    private TransactWriteItem counter(long delta) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(coordination)
                        .key(ReplicationStateTable.parkedCounter())
                        .updateExpression("ADD #count :delta")
                        .expressionAttributeNames(Map.of("#count", "count"))
                        .expressionAttributeValues(Map.of(":delta", n(delta))))
                .build();
    }

    private static boolean conditionFailed(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons()
                && cancelled.cancellationReasons().stream()
                        .map(CancellationReason::code)
                        .anyMatch("ConditionalCheckFailed"::equals);
    }

    @Override
    public long count() {
        var response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(coordination)
                        .key(ReplicationStateTable.parkedCounter())
                        .consistentRead(true)));
        return response.hasItem() && response.item().containsKey("count")
                ? Math.max(0, Long.parseLong(response.item().get("count").n()))
                : 0;
    }

    @Override
    public Page page(Optional<DeviceId> after, int limit) {
        var response = calls.call(
                AwsApi.DYNAMODB_QUERY,
                () -> dynamo.query(r -> {
                    r.tableName(table)
                            .consistentRead(true)
                            .keyConditionExpression("#pk = :pk")
                            .expressionAttributeNames(Map.of("#pk", PK))
                            .expressionAttributeValues(Map.of(":pk", s("parked")))
                            .limit(limit);
                    after.ifPresent(device -> r.exclusiveStartKey(ReplicationStateTable.parked(device)));
                }));
        List<ParkedRecord> records = response.items().stream()
                .map(item -> new ParkedRecord(
                        DeviceId.of(item.get("deviceId").s()),
                        Long.parseLong(item.get("version").n()),
                        item.get("sourceRegion").s(),
                        item.get("cause").s(),
                        Integer.parseInt(item.get("attempts").n()),
                        Instant.parse(item.get("parkedAt").s())))
                .toList();
        Optional<DeviceId> next = response.hasLastEvaluatedKey()
                        && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(DeviceId.of(response.lastEvaluatedKey().get(SK).s()))
                : Optional.empty();
        return new Page(records, next);
    }
}
