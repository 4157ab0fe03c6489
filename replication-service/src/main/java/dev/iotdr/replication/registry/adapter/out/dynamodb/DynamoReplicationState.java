package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoScans;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Replication's own regional state in one table keyed on {@code pk}: {@code applied#<device>} holds the
 * applied version (moves only forward), {@code parked#<device>} a dead letter. Shard leases live there
 * too ({@code lease#...}, see the stream adapter).
 */
final class DynamoReplicationState implements AppliedVersions, DeadLetters {
    static final String PK = "pk";

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;
    private volatile Instant since;

    DynamoReplicationState(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public long get(DeviceId device) {
        var response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(table)
                        .key(Map.of(PK, AttributeValue.fromS("applied#" + device.value())))
                        .consistentRead(true)));
        return response.hasItem() && response.item().containsKey("version")
                ? Long.parseLong(response.item().get("version").n())
                : 0;
    }

    @Override
    public boolean advance(DeviceId device, long version) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(Map.of(
                                    PK,
                                    AttributeValue.fromS("applied#" + device.value()),
                                    "version",
                                    AttributeValue.fromN(Long.toString(version))))
                            .conditionExpression("attribute_not_exists(#pk) OR #version < :version")
                            .expressionAttributeNames(Map.of("#pk", PK, "#version", "version"))
                            .expressionAttributeValues(
                                    Map.of(":version", AttributeValue.fromN(Long.toString(version))))));
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
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(Map.of(
                                    PK, AttributeValue.fromS("epoch"), "since", AttributeValue.fromS(now.toString())))
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
            since = now;
        } catch (ConditionalCheckFailedException exists) {
            since = Instant.parse(calls.call(
                            AwsApi.DYNAMODB_GET_ITEM,
                            () -> dynamo.getItem(r -> r.tableName(table)
                                    .key(Map.of(PK, AttributeValue.fromS("epoch")))
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

    @Override
    public void park(ParkedRecord record) {
        calls.run(
                AwsApi.DYNAMODB_PUT_ITEM,
                () -> dynamo.putItem(r -> r.tableName(table)
                        .item(Map.of(
                                PK,
                                AttributeValue.fromS(
                                        "parked#" + record.deviceId().value()),
                                "deviceId",
                                AttributeValue.fromS(record.deviceId().value()),
                                "version",
                                AttributeValue.fromN(Long.toString(record.version())),
                                "sourceRegion",
                                AttributeValue.fromS(record.sourceRegion()),
                                "cause",
                                AttributeValue.fromS(
                                        record.cause().length() > 2000
                                                ? record.cause().substring(0, 2000)
                                                : record.cause()),
                                "attempts",
                                AttributeValue.fromN(Integer.toString(record.attempts())),
                                "parkedAt",
                                AttributeValue.fromS(record.parkedAt().toString())))));
    }

    @Override
    public List<ParkedRecord> all() {
        List<ParkedRecord> parked = new ArrayList<>();
        DynamoScans.forEach(
                dynamo,
                calls,
                request -> request.tableName(table)
                        .consistentRead(true)
                        .filterExpression("begins_with(#pk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS("parked#"))),
                item -> parked.add(new ParkedRecord(
                        DeviceId.of(item.get("deviceId").s()),
                        Long.parseLong(item.get("version").n()),
                        item.get("sourceRegion").s(),
                        item.get("cause").s(),
                        Integer.parseInt(item.get("attempts").n()),
                        Instant.parse(item.get("parkedAt").s()))));
        return parked;
    }

    @Override
    public void remove(DeviceId device) {
        calls.run(
                AwsApi.DYNAMODB_DELETE_ITEM,
                () -> dynamo.deleteItem(
                        r -> r.tableName(table).key(Map.of(PK, AttributeValue.fromS("parked#" + device.value())))));
    }
}
