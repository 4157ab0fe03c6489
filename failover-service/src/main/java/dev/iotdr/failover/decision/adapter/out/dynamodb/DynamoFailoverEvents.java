package dev.iotdr.failover.decision.adapter.out.dynamodb;

import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.FailoverEvents;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The failover timeline in this decider's region ({@code event#...} items): the region that took over keeps
 * the record of how it did. (The freeze lived here as a {@code freeze} item per region; it is fleet-wide in
 * DNS now, and such an item is ignored.)
 */
final class DynamoFailoverEvents implements FailoverEvents {
    static final String PK = "pk";

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoFailoverEvents(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(FailoverEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("event#" + event.decided() + "#" + event.id()));
        item.put("id", s(event.id()));
        item.put("trigger", s(event.trigger().name()));
        item.put("from", s(event.from()));
        item.put("to", s(event.to()));
        item.put("reason", s(event.reason()));
        item.put("forced", AttributeValue.fromBool(event.forced()));
        event.firstFailedProbe().ifPresent(at -> item.put("firstFailedProbe", s(at.toString())));
        event.declaredUnhealthy().ifPresent(at -> item.put("declaredUnhealthy", s(at.toString())));
        item.put("decided", s(event.decided().toString()));
        item.put("dnsSubmitted", s(event.dnsSubmitted().toString()));
        event.dnsInSync().ifPresent(at -> item.put("dnsInSync", s(at.toString())));
        event.firstHealthyRequest().ifPresent(at -> item.put("firstHealthyRequest", s(at.toString())));
        item.put("generation", AttributeValue.fromN(Long.toString(event.generation())));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public List<FailoverEvent> recent(int limit) {
        List<FailoverEvent> events = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(r -> {
                r.tableName(table)
                        .consistentRead(true)
                        .filterExpression("begins_with(#pk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":prefix", s("event#")));
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            page.items().stream().map(DynamoFailoverEvents::decode).forEach(events::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return events.stream()
                .sorted(Comparator.comparing(FailoverEvent::decided).reversed())
                .limit(limit)
                .toList();
    }

    private static FailoverEvent decode(Map<String, AttributeValue> item) {
        return new FailoverEvent(
                item.get("id").s(),
                Trigger.valueOf(item.get("trigger").s()),
                item.get("from").s(),
                item.get("to").s(),
                item.get("reason").s(),
                item.get("forced").bool(),
                optionalInstant(item, "firstFailedProbe"),
                optionalInstant(item, "declaredUnhealthy"),
                Instant.parse(item.get("decided").s()),
                Instant.parse(item.get("dnsSubmitted").s()),
                optionalInstant(item, "dnsInSync"),
                optionalInstant(item, "firstHealthyRequest"),
                Long.parseLong(item.get("generation").n()));
    }

    private static Optional<Instant> optionalInstant(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(value -> Instant.parse(value.s()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
