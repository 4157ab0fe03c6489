package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoScans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ShardLeases} as {@code lease#<streamArn>#<shardId>} items in this region's replication-state table.
 * Every change is conditional on who holds the lease, so two workers never both move a checkpoint.
 */
final class DynamoShardLeases implements ShardLeases {
    private static final String PK = "pk";

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoShardLeases(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public void ensure(String streamArn, String shardId, Optional<String> parentShardId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(key(streamArn, shardId)));
        item.put("streamArn", s(streamArn));
        item.put("shardId", s(shardId));
        parentShardId.ifPresent(parent -> item.put("parentShardId", s(parent)));
        item.put("expiresAt", n(0));
        item.put("completed", AttributeValue.fromBool(false));
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
        } catch (ConditionalCheckFailedException exists) {
            // the lease is there already
        }
    }

    @Override
    public List<Lease> all(String streamArn) {
        List<Lease> leases = new ArrayList<>();
        DynamoScans.forEach(
                dynamo,
                calls,
                request -> request.tableName(table)
                        .consistentRead(true)
                        .filterExpression("begins_with(#pk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":prefix", s("lease#" + streamArn + "#"))),
                item -> leases.add(decode(item)));
        return leases;
    }

    @Override
    public Optional<Lease> take(Lease lease, String worker, Instant now, Instant until) {
        try {
            var updated = calls.call(
                    AwsApi.DYNAMODB_UPDATE_ITEM,
                    () -> dynamo.updateItem(r -> r.tableName(table)
                            .key(Map.of(PK, s(key(lease.streamArn(), lease.shardId()))))
                            .updateExpression("SET #owner = :me, #expires = :until")
                            .conditionExpression("attribute_not_exists(#owner) OR #owner = :me OR #expires < :now")
                            .expressionAttributeNames(Map.of("#owner", "owner", "#expires", "expiresAt"))
                            .expressionAttributeValues(Map.of(
                                    ":me", s(worker), ":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli())))
                            .returnValues(ReturnValue.ALL_NEW)));
            return Optional.of(decode(updated.attributes()));
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public boolean checkpoint(Lease lease, String worker, String sequenceNumber, Instant until) {
        return conditionalUpdate(
                lease,
                worker,
                "SET #checkpoint = :sequence, #expires = :until",
                Map.of("#checkpoint", "checkpoint", "#expires", "expiresAt"),
                Map.of(":sequence", s(sequenceNumber), ":until", n(until.toEpochMilli())));
    }

    @Override
    public boolean complete(Lease lease, String worker) {
        return conditionalUpdate(
                lease,
                worker,
                "SET #completed = :true",
                Map.of("#completed", "completed"),
                Map.of(":true", AttributeValue.fromBool(true)));
    }

    private boolean conditionalUpdate(
            Lease lease, String worker, String update, Map<String, String> names, Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#owner", "owner");
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":me", s(worker));
        try {
            calls.run(
                    AwsApi.DYNAMODB_UPDATE_ITEM,
                    () -> dynamo.updateItem(r -> r.tableName(table)
                            .key(Map.of(PK, s(key(lease.streamArn(), lease.shardId()))))
                            .updateExpression(update)
                            .conditionExpression("#owner = :me")
                            .expressionAttributeNames(allNames)
                            .expressionAttributeValues(allValues)));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    private static Lease decode(Map<String, AttributeValue> item) {
        return new Lease(
                item.get("streamArn").s(),
                item.get("shardId").s(),
                Optional.ofNullable(item.get("parentShardId")).map(AttributeValue::s),
                Optional.ofNullable(item.get("owner")).map(AttributeValue::s),
                Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())),
                Optional.ofNullable(item.get("checkpoint")).map(AttributeValue::s),
                item.containsKey("completed")
                        && Boolean.TRUE.equals(item.get("completed").bool()));
    }

    private static String key(String streamArn, String shardId) {
        return "lease#" + streamArn + "#" + shardId;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
