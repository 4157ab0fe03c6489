package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.replication.registry.application.DeviceTableSegments;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DeviceItems;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.contract.MalformedDeviceItemException;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.Region;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * This region's device table ({@link LocalDeviceTable}), and any region's read in scan segments for jobs
 * ({@link Segments}).
 */
final class DynamoLocalDeviceTable implements LocalDeviceTable {
    private static final int BATCH_GET = 100;

    /** {@link DeviceRecord#PRECEDENCE}: a newer version, or at the same one a higher status, origin, certificate. */
    private static final String COPY_CONDITION = "attribute_not_exists(#id) OR #version < :version"
            + " OR (#version = :version AND (#status < :status OR (#status = :status"
            + " AND (#origin < :origin OR (#origin = :origin AND #certificate < :certificate)))))";

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

    /**
     * The condition is {@link DeviceRecord#PRECEDENCE} on the stored attributes (the codec writes the status
     * name, the region code and the lower-case certificate id, compared as strings as the order compares them).
     */
    @Override
    public boolean copyIfNewer(DeviceRecord record) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(DeviceItemCodec.toItem(record))
                            .conditionExpression(COPY_CONDITION)
                            .expressionAttributeNames(Map.of(
                                    "#id", DeviceTable.DEVICE_ID,
                                    "#version", DeviceTable.VERSION,
                                    "#status", DeviceTable.STATUS,
                                    "#origin", DeviceTable.ORIGIN_REGION,
                                    "#certificate", DeviceTable.CERTIFICATE_ID))
                            .expressionAttributeValues(Map.of(
                                    ":version",
                                    AttributeValue.fromN(Long.toString(record.version())),
                                    ":status",
                                    AttributeValue.fromS(record.status().name()),
                                    ":origin",
                                    AttributeValue.fromS(record.originRegion().code()),
                                    ":certificate",
                                    AttributeValue.fromS(
                                            record.certificate().id().value())))));
            return true;
        } catch (ConditionalCheckFailedException notNewer) {
            return false;
        }
    }

    @Override
    public Map<DeviceId, RecordRank> ranks(Collection<DeviceId> devices) {
        Map<DeviceId, RecordRank> ranks = new HashMap<>();
        List<DeviceId> all = List.copyOf(devices);
        for (int from = 0; from < all.size(); from += BATCH_GET) {
            List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + BATCH_GET)).stream()
                    .map(device -> Map.of(DeviceTable.DEVICE_ID, AttributeValue.fromS(device.value())))
                    .toList();
            Map<String, KeysAndAttributes> pending = Map.of(
                    table,
                    KeysAndAttributes.builder()
                            .keys(keys)
                            .consistentRead(true)
                            .projectionExpression("#id, #version, #status, #origin, #certificate")
                            .expressionAttributeNames(Map.of(
                                    "#id", DeviceTable.DEVICE_ID,
                                    "#version", DeviceTable.VERSION,
                                    "#status", DeviceTable.STATUS,
                                    "#origin", DeviceTable.ORIGIN_REGION,
                                    "#certificate", DeviceTable.CERTIFICATE_ID))
                            .build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = calls.call(
                        AwsApi.DYNAMODB_BATCH_GET_ITEM, () -> dynamo.batchGetItem(r -> r.requestItems(request)));
                response.responses()
                        .getOrDefault(table, List.of())
                        .forEach(item -> ranks.put(
                                DeviceId.of(item.get(DeviceTable.DEVICE_ID).s()), rank(item)));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return ranks;
    }

    private static RecordRank rank(Map<String, AttributeValue> item) {
        try {
            return new RecordRank(
                    Long.parseLong(item.get(DeviceTable.VERSION).n()),
                    DeviceRecord.tieKey(
                            DeviceStatus.valueOf(item.get(DeviceTable.STATUS).s()),
                            Region.of(item.get(DeviceTable.ORIGIN_REGION).s()),
                            CertificateId.of(
                                    item.get(DeviceTable.CERTIFICATE_ID).s())));
        } catch (RuntimeException malformed) {
            throw new MalformedDeviceItemException(
                    "device item " + item.get(DeviceTable.DEVICE_ID).s() + " has no valid rank: " + malformed,
                    malformed);
        }
    }

    /** Device tables read in parallel scan segments: this region's or another's (a re-sync's source). */
    static final class Segments implements DeviceTableSegments {
        private final Function<Region, DynamoDbClient> clients;
        private final Region self;
        private final GuardedAwsCalls localCalls;
        private final GuardedAwsCalls remoteCalls;
        private final String table;

        Segments(
                Function<Region, DynamoDbClient> clients,
                Region self,
                GuardedAwsCalls localCalls,
                GuardedAwsCalls remoteCalls,
                String table) {
            this.clients = clients;
            this.self = self;
            this.localCalls = localCalls;
            this.remoteCalls = remoteCalls;
            this.table = table;
        }

        @Override
        public Page page(Optional<Region> region, int segment, int total, Optional<String> after, int limit) {
            DynamoDbClient dynamo = clients.apply(region.orElse(self));
            GuardedAwsCalls calls = region.isPresent() && !region.get().equals(self) ? remoteCalls : localCalls;
            ScanResponse response = calls.call(
                    AwsApi.DYNAMODB_SCAN,
                    () -> dynamo.scan(r -> {
                        r.tableName(table)
                                .consistentRead(true)
                                .segment(segment)
                                .totalSegments(total)
                                .limit(limit);
                        after.ifPresent(
                                key -> r.exclusiveStartKey(Map.of(DeviceTable.DEVICE_ID, AttributeValue.fromS(key))));
                    }));
            return new Page(
                    response.items().stream().map(DeviceItemCodec::fromItem).toList(),
                    response.hasLastEvaluatedKey()
                                    && !response.lastEvaluatedKey().isEmpty()
                            ? Optional.of(response.lastEvaluatedKey()
                                    .get(DeviceTable.DEVICE_ID)
                                    .s())
                            : Optional.empty());
        }
    }
}
