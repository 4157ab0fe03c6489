package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.stream.application.StreamSink;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The local stack's stand-in for a global table's replication, for a table of write-once items (the telemetry hot
 * store: one item per {@code (thingName, messageId)}, never changed, removed only by TTL): every item another
 * region's stream shows is put here unless this region has it already. Idempotent, so a batch read twice, or an
 * item ingested here too around a failover, is harmless. An item this region cannot take now (its table is not
 * there yet, or the region does not answer) leaves the batch unread, to be read again: nothing is parked, so a copy
 * that keeps failing shows as lag, never as a lost record.
 */
final class WriteOnceCopy implements StreamSink<WriteOnceCopy.Item> {
    private static final Logger log = LoggerFactory.getLogger(WriteOnceCopy.class);

    /** One item of the copied table as the source's stream showed it. */
    record Item(Map<String, AttributeValue> attributes) {
        Item {
            attributes = Map.copyOf(attributes);
        }
    }

    private final DynamoDbClient local;
    private final GuardedAwsCalls calls;
    private final String table;
    private volatile Map<String, KeyType> keySchema;
    private volatile String lastFailure;

    WriteOnceCopy(DynamoDbClient local, GuardedAwsCalls calls, String table) {
        this.local = local;
        this.calls = calls;
        this.table = table;
    }

    /** Write-once items need no order among themselves: each is its own key. */
    @Override
    public Object orderingKey(Item item) {
        return item;
    }

    @Override
    public void apply(Region source, Item item) {
        try {
            Map<String, KeyType> keys = keySchema();
            String partitionKey = keys.entrySet().stream()
                    .filter(entry -> entry.getValue() == KeyType.HASH)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow();
            calls.call(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> local.putItem(r -> r.tableName(table)
                            .item(item.attributes())
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", partitionKey))));
        } catch (ConditionalCheckFailedException alreadyHere) {
            // written once, so what is here is the same item
        } catch (ResourceNotFoundException notHereYet) {
            keySchema = null;
            throw new DependencyUnavailableException(
                    "table " + table + " here",
                    "table " + table + " does not exist in this region yet; copying from " + source + " waits",
                    Duration.ofSeconds(5),
                    notHereYet);
        }
    }

    @Override
    public void failedAttempt(Region source) {
        // counted by the replicator's log line; nothing kept per attempt
    }

    /** Nothing is parked: the batch fails and is read again, so the item is never dropped (and the lag shows). */
    @Override
    public void park(Region source, Item item, Throwable cause, int attempts) {
        log.error(
                "copying {} from {} failed {} times; the batch is read again: {}",
                describe(item),
                source,
                attempts,
                cause.toString());
        lastFailure = java.time.Instant.now() + ": " + describe(item) + " from " + source + " failed " + attempts
                + " times (" + cause + "); its batch is read again, the copy from " + source + " waits";
        throw new IllegalStateException("copying " + describe(item) + " from " + source + " failed", cause);
    }

    @Override
    public String describe(Item item) {
        return table + " item " + key(item);
    }

    @Override
    public java.util.Optional<String> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    private String key(Item item) {
        Map<String, KeyType> keys = keySchema;
        if (keys == null) {
            return "with attributes " + item.attributes().keySet();
        }
        return keys.keySet().stream()
                .sorted()
                .map(name -> name + "=" + text(item.attributes().get(name)))
                .collect(Collectors.joining(","));
    }

    private static String text(AttributeValue value) {
        if (value == null) {
            return "?";
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : value.toString();
    }

    private Map<String, KeyType> keySchema() {
        Map<String, KeyType> known = keySchema;
        if (known == null) {
            known = calls
                    .call(AwsApi.DYNAMODB_DESCRIBE_TABLE, () -> local.describeTable(r -> r.tableName(table)))
                    .table()
                    .keySchema()
                    .stream()
                    .collect(Collectors.toUnmodifiableMap(k -> k.attributeName(), k -> k.keyType()));
            keySchema = known;
        }
        return known;
    }
}
