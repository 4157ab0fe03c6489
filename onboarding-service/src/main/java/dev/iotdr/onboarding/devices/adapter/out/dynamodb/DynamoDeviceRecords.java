package dev.iotdr.onboarding.devices.adapter.out.dynamodb;

import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DeviceItems;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** {@link DeviceRecords} on the device table; every write is conditional on what it replaces. */
final class DynamoDeviceRecords implements DeviceRecords {
    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoDeviceRecords(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public Optional<DeviceRecord> find(DeviceId device) {
        return DeviceItems.find(dynamo, calls, table, device);
    }

    @Override
    public void insert(DeviceRecord record, long replacingTombstoneVersion) {
        if (replacingTombstoneVersion == 0) {
            put(record, "attribute_not_exists(#id)", Map.of("#id", DeviceTable.DEVICE_ID), Map.of());
        } else {
            put(
                    record,
                    "#status = :tombstone AND #version = :version",
                    Map.of("#status", DeviceTable.STATUS, "#version", DeviceTable.VERSION),
                    Map.of(
                            ":tombstone", AttributeValue.fromS(DeviceStatus.DECOMMISSIONED.name()),
                            ":version", AttributeValue.fromN(Long.toString(replacingTombstoneVersion))));
        }
    }

    @Override
    public void replace(DeviceRecord next, long expectedVersion) {
        put(
                next,
                "#version = :expected",
                Map.of("#version", DeviceTable.VERSION),
                Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))));
    }

    @Override
    public Page list(int limit, Optional<String> cursor) {
        Optional<Map<String, AttributeValue>> start = cursor.map(DynamoDeviceRecords::decodeCursor);
        ScanResponse response = calls.call(
                AwsApi.DYNAMODB_SCAN,
                () -> dynamo.scan(r -> {
                    r.tableName(table).limit(limit);
                    start.ifPresent(r::exclusiveStartKey);
                }));
        Optional<String> next = response.hasLastEvaluatedKey()
                        && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(encodeCursor(
                        response.lastEvaluatedKey().get(DeviceTable.DEVICE_ID).s()))
                : Optional.empty();
        return new Page(response.items().stream().map(DeviceItemCodec::fromItem).toList(), next);
    }

    private void put(
            DeviceRecord record, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> {
                        r.tableName(table).item(DeviceItemCodec.toItem(record)).conditionExpression(condition);
                        r.expressionAttributeNames(names);
                        if (!values.isEmpty()) {
                            r.expressionAttributeValues(values);
                        }
                    }));
        } catch (ConditionalCheckFailedException refused) {
            throw new RecordConflictException("device " + record.deviceId() + " was written by someone else", refused);
        }
    }

    private static String encodeCursor(String deviceId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(deviceId.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor) {
        try {
            String deviceId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return Map.of(
                    DeviceTable.DEVICE_ID,
                    AttributeValue.fromS(DeviceId.of(deviceId).value()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this API returned");
        }
    }
}
