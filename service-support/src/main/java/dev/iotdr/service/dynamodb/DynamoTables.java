package dev.iotdr.service.dynamodb;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.contract.DeviceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Ensures tables idempotently: the device table (streamed with new and old images, the contract
 * replication reads), and each service's regional tables (string keys, an optional sort key and sparse
 * index, TTL). Until
 * CloudFormation templates own them, services do this at startup and when readiness finds them missing.
 */
public final class DynamoTables {
    private static final Logger log = LoggerFactory.getLogger(DynamoTables.class);
    private static final Duration ACTIVE_WITHIN = Duration.ofSeconds(60);

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;

    public DynamoTables(DynamoDbClient dynamo, GuardedAwsCalls calls) {
        this.dynamo = dynamo;
        this.calls = calls;
    }

    public void ensureDeviceTable(String table) {
        ensure(TableShape.hashOnly(table, DeviceTable.DEVICE_ID), true);
    }

    /** A regional table keyed on the string {@code hashKey}, with DynamoDB TTL on {@code ttlAttribute}. */
    public void ensureTableWithTtl(String table, String hashKey, String ttlAttribute) {
        ensureTableWithTtl(TableShape.hashOnly(table, hashKey), ttlAttribute);
    }

    /** A regional table of {@code shape} (string keys, optional sort key and index), with TTL. */
    public void ensureTableWithTtl(TableShape shape, String ttlAttribute) {
        ensureWithTtl(shape, false, ttlAttribute);
    }

    /**
     * A table of {@code shape} with TTL and a stream of new and old images: a table copied to the other regions
     * (a global table in AWS; the replication service's table copy in the local stack).
     */
    public void ensureReplicatedTableWithTtl(TableShape shape, String ttlAttribute) {
        ensureWithTtl(shape, true, ttlAttribute);
    }

    /** A regional table of {@code shape}: no stream, no TTL. */
    public void ensureTable(TableShape shape) {
        ensure(shape, false);
    }

    private void ensureWithTtl(TableShape shape, boolean streamed, String ttlAttribute) {
        String table = shape.table();
        ensure(shape, streamed);
        calls.run(AwsApi.DYNAMODB_UPDATE_TIME_TO_LIVE, () -> {
            try {
                dynamo.updateTimeToLive(r -> r.tableName(table)
                        .timeToLiveSpecification(t -> t.enabled(true).attributeName(ttlAttribute)));
            } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException alreadyEnabled) {
                if (alreadyEnabled.statusCode() != 400) {
                    throw alreadyEnabled;
                }
            }
        });
    }

    private void ensure(TableShape shape, boolean streamed) {
        String table = shape.table();
        if (!exists(table)) {
            try {
                calls.run(
                        AwsApi.DYNAMODB_CREATE_TABLE,
                        () -> dynamo.createTable(r -> {
                            java.util.Map<String, ScalarAttributeType> attributes = new java.util.LinkedHashMap<>();
                            attributes.put(shape.hashKey(), ScalarAttributeType.S);
                            shape.sortKey().ifPresent(sort -> attributes.put(sort, ScalarAttributeType.S));
                            shape.index().ifPresent(index -> {
                                attributes.put(index.hashKey(), ScalarAttributeType.S);
                                attributes.put(index.sortKey(), ScalarAttributeType.N);
                            });
                            r.tableName(table)
                                    .billingMode(BillingMode.PAY_PER_REQUEST)
                                    .attributeDefinitions(attributes.entrySet().stream()
                                            .map(a -> AttributeDefinition.builder()
                                                    .attributeName(a.getKey())
                                                    .attributeType(a.getValue())
                                                    .build())
                                            .toList())
                                    .keySchema(keys(shape.hashKey(), shape.sortKey()));
                            shape.index()
                                    .ifPresent(index -> r.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                                            .indexName(index.name())
                                            .keySchema(keys(index.hashKey(), java.util.Optional.of(index.sortKey())))
                                            .projection(p -> p.projectionType(ProjectionType.ALL))
                                            .build()));
                            if (streamed) {
                                r.streamSpecification(
                                        s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
                            }
                        }));
                log.info("created table {}", table);
            } catch (ResourceInUseException createdMeanwhile) {
                // another instance created it
            }
        }
        awaitActive(table);
        checkShape(shape);
    }

    /**
     * An existing table of another shape (an older key layout, a missing index) is refused loudly: every key
     * operation on it would fail, or a query would find nothing. Tables are never changed here.
     */
    private void checkShape(TableShape shape) {
        var description = calls.call(
                        AwsApi.DYNAMODB_DESCRIBE_TABLE, () -> dynamo.describeTable(r -> r.tableName(shape.table())))
                .table();
        List<String> expected = keys(shape.hashKey(), shape.sortKey()).stream()
                .map(k -> k.attributeName() + " " + k.keyType())
                .toList();
        List<String> actual = description.keySchema().stream()
                .map(k -> k.attributeName() + " " + k.keyType())
                .toList();
        if (!expected.equals(actual)) {
            throw new IllegalStateException("table " + shape.table() + " has keys " + actual + " where " + expected
                    + " are expected: an older layout; migrate it or delete it so it is created again");
        }
        shape.index().ifPresent(index -> {
            boolean present = description.hasGlobalSecondaryIndexes()
                    && description.globalSecondaryIndexes().stream()
                            .anyMatch(g -> g.indexName().equals(index.name()));
            if (!present) {
                throw new IllegalStateException("table " + shape.table() + " lacks its index " + index.name() + " ("
                        + index.hashKey() + ", " + index.sortKey() + "); add it before starting");
            }
        });
    }

    private static List<KeySchemaElement> keys(String hash, java.util.Optional<String> sort) {
        List<KeySchemaElement> keys = new java.util.ArrayList<>();
        keys.add(KeySchemaElement.builder()
                .attributeName(hash)
                .keyType(KeyType.HASH)
                .build());
        sort.ifPresent(s -> keys.add(KeySchemaElement.builder()
                .attributeName(s)
                .keyType(KeyType.RANGE)
                .build()));
        return keys;
    }

    private boolean exists(String table) {
        try {
            calls.run(AwsApi.DYNAMODB_DESCRIBE_TABLE, () -> dynamo.describeTable(r -> r.tableName(table)));
            return true;
        } catch (ResourceNotFoundException absent) {
            return false;
        }
    }

    private void awaitActive(String table) {
        Instant deadline = Instant.now().plus(ACTIVE_WITHIN);
        while (calls.call(AwsApi.DYNAMODB_DESCRIBE_TABLE, () -> dynamo.describeTable(r -> r.tableName(table)))
                        .table()
                        .tableStatus()
                != TableStatus.ACTIVE) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("table " + table + " is not ACTIVE after " + ACTIVE_WITHIN);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, e);
            }
        }
    }
}
