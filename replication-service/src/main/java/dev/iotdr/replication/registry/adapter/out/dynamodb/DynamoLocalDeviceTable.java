package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.application.RemoteDeviceTables;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DeviceItems;
import dev.iotdr.service.dynamodb.DynamoScans;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A region's device table: this region's ({@link LocalDeviceTable}), or, through {@link Remote}, another
 * region's read in full for a re-sync.
 */
final class DynamoLocalDeviceTable implements LocalDeviceTable {
    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoLocalDeviceTable(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public Optional<DeviceRecord> find(DeviceId device) {
        return DeviceItems.find(dynamo, calls, table, device);
    }

    @Override
    public boolean copyIfNewer(DeviceRecord record) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(DeviceItemCodec.toItem(record))
                            .conditionExpression("attribute_not_exists(#id) OR #version < :version")
                            .expressionAttributeNames(
                                    Map.of("#id", DeviceTable.DEVICE_ID, "#version", DeviceTable.VERSION))
                            .expressionAttributeValues(
                                    Map.of(":version", AttributeValue.fromN(Long.toString(record.version()))))));
            return true;
        } catch (ConditionalCheckFailedException notNewer) {
            return false;
        }
    }

    @Override
    public void forEach(Consumer<DeviceRecord> action) {
        scan(dynamo, calls, table, action);
    }

    static void scan(DynamoDbClient dynamo, GuardedAwsCalls calls, String table, Consumer<DeviceRecord> action) {
        DynamoScans.forEach(
                dynamo,
                calls,
                request -> request.tableName(table).consistentRead(true),
                item -> action.accept(DeviceItemCodec.fromItem(item)));
    }

    /** Other regions' device tables, by region. */
    static final class Remote implements RemoteDeviceTables {
        private final Function<Region, DynamoDbClient> clients;
        private final GuardedAwsCalls calls;
        private final String table;

        Remote(Function<Region, DynamoDbClient> clients, GuardedAwsCalls calls, String table) {
            this.clients = clients;
            this.calls = calls;
            this.table = table;
        }

        @Override
        public void forEach(Region region, Consumer<DeviceRecord> action) {
            scan(clients.apply(region), calls, table, action);
        }
    }
}
