package dev.iotdr.telemetry.ingest.adapter.out.dynamodb;

import static dev.iotdr.telemetry.ingest.adapter.out.dynamodb.TelemetryTable.*;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.MessageId;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.shared.domain.ThingName;
import dev.iotdr.telemetry.ingest.application.TelemetryHistory;
import dev.iotdr.telemetry.ingest.application.TelemetryStore;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import dev.iotdr.telemetry.ingest.domain.StoreOutcome;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The hot store on DynamoDB ({@link TelemetryTable} has the layout): a conditional put per record. */
final class DynamoTelemetryStore implements TelemetryStore, TelemetryHistory {
    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;
    private final Duration retention;
    private final Clock clock;
    private final Runnable heal;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    DynamoTelemetryStore(
            DynamoDbClient dynamo,
            GuardedAwsCalls calls,
            String table,
            Duration retention,
            Clock clock,
            Runnable heal) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
        this.heal = heal;
    }

    @Override
    public StoreOutcome store(TelemetryRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(THING, s(record.thingName().value()));
        item.put(MESSAGE_ID, s(record.messageId().value()));
        item.put(TS, n(record.ts()));
        item.put(SEQ, n(record.seq()));
        item.put(METRICS, AttributeValue.fromM(metrics(record.metrics())));
        item.put(CLIENT_ID, s(record.clientId()));
        item.put(RECEIVED_AT, n(record.receivedAt()));
        item.put(INGESTED_IN, s(record.ingestedIn().code()));
        item.put(INGESTED_AT, n(clock.millis()));
        item.put(EXPIRES_AT, n(record.ts() / 1000 + retention.toSeconds()));
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", MESSAGE_ID))));
            return StoreOutcome.STORED;
        } catch (ConditionalCheckFailedException alreadyThere) {
            return StoreOutcome.DUPLICATE;
        } catch (ResourceNotFoundException emptied) {
            // the region was emptied (restored from an outage): heal it, and let the message come back later
            heal.run();
            throw new DependencyUnavailableException(
                    "dynamodb:PutItem",
                    "table " + table + " is missing; it is being created again",
                    RETRY_AFTER,
                    emptied);
        }
    }

    @Override
    public Page between(ThingName thing, long from, long to, int limit, Optional<String> cursor) {
        Optional<Map<String, AttributeValue>> start = cursor.map(c -> decodeCursor(c, thing, from, to));
        QueryResponse page = calls.call(
                AwsApi.DYNAMODB_QUERY,
                () -> dynamo.query(r -> {
                    r.tableName(table)
                            .indexName(BY_TIME)
                            .keyConditionExpression("#t = :t AND #ts BETWEEN :from AND :to")
                            .expressionAttributeNames(Map.of("#t", THING, "#ts", TS))
                            .expressionAttributeValues(
                                    Map.of(":t", s(thing.value()), ":from", n(from), ":to", n(to - 1)))
                            .limit(limit);
                    start.ifPresent(r::exclusiveStartKey);
                }));
        List<TelemetryRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            records.add(record(item));
        }
        Optional<String> next =
                page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? Optional.of(encodeCursor(page.lastEvaluatedKey()))
                        : Optional.empty();
        return new Page(records, next);
    }

    private static TelemetryRecord record(Map<String, AttributeValue> item) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        item.get(METRICS)
                .m()
                .forEach((name, value) -> metrics.put(name, value.n() != null ? new BigDecimal(value.n()) : value.s()));
        return new TelemetryRecord(
                ThingName.of(item.get(THING).s()),
                MessageId.of(item.get(MESSAGE_ID).s()),
                Long.parseLong(item.get(SEQ).n()),
                Long.parseLong(item.get(TS).n()),
                metrics,
                item.get(CLIENT_ID).s(),
                Long.parseLong(item.get(RECEIVED_AT).n()),
                Region.of(item.get(INGESTED_IN).s()));
    }

    private static Map<String, AttributeValue> metrics(Map<String, Object> metrics) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        metrics.forEach((name, value) ->
                values.put(name, value instanceof String text ? s(text) : AttributeValue.fromN(number(value))));
        return values;
    }

    private static String number(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toString() : String.valueOf(value);
    }

    /** The next page's start: the index key and the table key of the last item, opaque to callers. */
    private static String encodeCursor(Map<String, AttributeValue> key) {
        String text = key.get(THING).s() + "\n" + key.get(MESSAGE_ID).s() + "\n"
                + key.get(TS).n();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor, ThingName thing, long from, long to) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new InvalidTelemetry("cursor", "is not a cursor this API returned");
        }
        if (parts.length != 3 || !parts[0].equals(thing.value()) || !parts[2].matches("[0-9]{1,18}")) {
            throw new InvalidTelemetry("cursor", "is not a cursor this API returned for " + thing);
        }
        long ts = Long.parseLong(parts[2]);
        if (ts < from || ts >= to) {
            throw new InvalidTelemetry("cursor", "belongs to another time range: ask again with the same from and to");
        }
        try {
            MessageId.of(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidTelemetry("cursor", "is not a cursor this API returned");
        }
        return Map.of(THING, s(parts[0]), MESSAGE_ID, s(parts[1]), TS, AttributeValue.fromN(parts[2]));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
