package dev.iotdr.dataplane.rules;

import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed rule query of the supported IoT SQL subset: which topics it listens to, whether a message passes its
 * WHERE, and what its SELECT makes of the message.
 */
record RuleSql(String sql, List<SelectItem> items, TopicFilter from, Optional<Expression> where) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One SELECT item: {@code *}, or an expression and the name it is output under. */
    sealed interface SelectItem {
        record All() implements SelectItem {}

        record Named(Expression expression, String name) implements SelectItem {}
    }

    /** What SELECT produced: a JSON object, or the payload's bytes when {@code SELECT *} met a non-JSON payload. */
    sealed interface Output {
        byte[] bytes();

        record Json(ObjectNode object) implements Output {
            @Override
            public byte[] bytes() {
                return JSON.writeValueAsBytes(object);
            }
        }

        record Raw(byte[] bytes) implements Output {}
    }

    RuleSql {
        items = List.copyOf(items);
    }

    /**
     * Parses {@code SELECT <items> FROM '<topic filter>' [WHERE <condition>]}.
     *
     * @throws UnsupportedRuleException naming what is outside the subset
     */
    static RuleSql parse(String sql) {
        return new RuleSqlParser(sql).parse();
    }

    boolean listensTo(String topic) {
        return from.matches(topic);
    }

    /**
     * The rule's output for a message, or empty when its WHERE does not hold.
     *
     * @throws RuleEvaluationException when the message cannot be processed as the SQL asks (a non-JSON payload
     *     with anything besides a lone {@code SELECT *})
     */
    Optional<Output> evaluate(InboundMessage message) {
        ObjectNode payload = jsonObject(message.payload());
        Expression.Input input = new Expression.Input(message, payload);
        if (where.isPresent()) {
            JsonNode condition = where.get().evaluate(input);
            if (condition == null || !condition.isBoolean() || !condition.booleanValue()) {
                return Optional.empty();
            }
        }
        boolean onlyAll = items.size() == 1 && items.get(0) instanceof SelectItem.All;
        if (payload == null) {
            if (onlyAll) {
                return Optional.of(new Output.Raw(message.payload().clone()));
            }
            if (items.stream().anyMatch(SelectItem.All.class::isInstance)) {
                throw new RuleEvaluationException("the payload is not a JSON object, so SELECT * cannot have fields"
                        + " added to it (AWS IoT adds data only to an empty or JSON payload)");
            }
        }
        ObjectNode out = JSON.createObjectNode();
        for (SelectItem item : items) {
            switch (item) {
                case SelectItem.All all -> {
                    if (payload != null) {
                        out.setAll(payload);
                    }
                }
                case SelectItem.Named(Expression expression, String name) -> {
                    JsonNode value = expression.evaluate(input);
                    if (value != null) {
                        // a later item overrides a payload field of the same name (a device cannot forge it)
                        out.set(name, value);
                    }
                }
            }
        }
        return Optional.of(new Output.Json(out));
    }

    /** The payload as a JSON object; an empty payload is an empty object; null when it is not a JSON object. */
    static ObjectNode jsonObject(byte[] payload) {
        if (payload.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(payload);
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }
}
