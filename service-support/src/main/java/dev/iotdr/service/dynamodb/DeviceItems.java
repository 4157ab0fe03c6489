package dev.iotdr.service.dynamodb;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** Reads of the device table every service makes the same way. */
public final class DeviceItems {
    private DeviceItems() {}

    /** The device's record, read consistently; empty when the table has none. */
    public static Optional<DeviceRecord> find(
            DynamoDbClient dynamo, GuardedAwsCalls calls, String table, DeviceId device) {
        GetItemResponse response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(table)
                        .key(Map.of(DeviceTable.DEVICE_ID, AttributeValue.fromS(device.value())))
                        .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(DeviceItemCodec.fromItem(response.item()))
                : Optional.empty();
    }
}
