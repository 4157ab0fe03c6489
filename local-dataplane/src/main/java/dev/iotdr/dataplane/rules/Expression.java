package dev.iotdr.dataplane.rules;

import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An expression of the supported IoT SQL subset. Evaluates to a JSON value, or to {@code null} for IoT SQL's
 * Undefined (a missing field, a comparison of incomparable types), which a SELECT omits and a WHERE treats as
 * false.
 */
sealed interface Expression {
    JsonNode evaluate(Input input);

    /** What expressions read: the message and its payload (an object, or null when it is not a JSON object). */
    record Input(InboundMessage message, ObjectNode payload) {}

    /** {@code a.b.c}: a field of the payload. */
    record Field(List<String> path) implements Expression {
        public Field {
            path = List.copyOf(path);
        }

        @Override
        public JsonNode evaluate(Input input) {
            JsonNode node = input.payload();
            for (String name : path) {
                if (node == null || !node.isObject()) {
                    return null;
                }
                node = node.get(name);
            }
            return node;
        }
    }

    record Literal(JsonNode value) implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            return value;
        }
    }

    /** {@code topic()} or {@code topic(n)}, 1-based; a level past the end is Undefined. */
    record Topic(int level) implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            String topic = input.message().topic();
            if (level == 0) {
                return JsonNodeFactory.instance.stringNode(topic);
            }
            String[] levels = topic.split("/", -1);
            return level <= levels.length ? JsonNodeFactory.instance.stringNode(levels[level - 1]) : null;
        }
    }

    record ClientId() implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            return input.message()
                    .clientId()
                    .map(JsonNodeFactory.instance::stringNode)
                    .orElse(null);
        }
    }

    record Principal() implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            return input.message()
                    .principal()
                    .map(JsonNodeFactory.instance::stringNode)
                    .orElse(null);
        }
    }

    /** {@code timestamp()}: when the broker received the message, in epoch milliseconds. */
    record Timestamp() implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            return JsonNodeFactory.instance.numberNode(input.message().receivedAtMillis());
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            JsonNode value = operand.evaluate(input);
            return value != null && value.isBoolean() ? BooleanNode.valueOf(!value.booleanValue()) : null;
        }
    }

    /**
     * AND and OR on booleans, with Undefined (or a non-boolean) as unknown: {@code false AND x} is false and
     * {@code true OR x} is true whatever x is; otherwise an unknown operand makes the result Undefined.
     */
    record Logical(boolean and, Expression left, Expression right) implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            Boolean l = truth(left.evaluate(input));
            Boolean r = truth(right.evaluate(input));
            boolean decisive = !and; // true decides an OR, false decides an AND
            if (Boolean.valueOf(decisive).equals(l) || Boolean.valueOf(decisive).equals(r)) {
                return BooleanNode.valueOf(decisive);
            }
            if (l == null || r == null) {
                return null;
            }
            return BooleanNode.valueOf(!decisive);
        }

        private static Boolean truth(JsonNode value) {
            return value != null && value.isBoolean() ? value.booleanValue() : null;
        }
    }

    /** The comparison operators. */
    enum Comparator {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }
    }

    /**
     * Numbers compare numerically (a string that reads as a number compares with a number as that number),
     * strings lexicographically, booleans and null only for (in)equality; anything else is Undefined.
     */
    record Comparison(Comparator comparator, Expression left, Expression right) implements Expression {
        @Override
        public JsonNode evaluate(Input input) {
            JsonNode l = left.evaluate(input);
            JsonNode r = right.evaluate(input);
            if (l == null || r == null) {
                return null;
            }
            Integer order = order(l, r);
            if (order == null) {
                boolean equalityOnly = comparator == Comparator.EQ || comparator == Comparator.NE;
                boolean sameKind = l.getNodeType() == r.getNodeType();
                if (!equalityOnly || !sameKind) {
                    return null;
                }
                return BooleanNode.valueOf(l.equals(r) == (comparator == Comparator.EQ));
            }
            boolean result =
                    switch (comparator) {
                        case EQ -> order == 0;
                        case NE -> order != 0;
                        case LT -> order < 0;
                        case LE -> order <= 0;
                        case GT -> order > 0;
                        case GE -> order >= 0;
                    };
            return BooleanNode.valueOf(result);
        }

        private static Integer order(JsonNode l, JsonNode r) {
            if (l.isString() && r.isString()) {
                return Integer.signum(l.stringValue().compareTo(r.stringValue()));
            }
            BigDecimal a = number(l);
            BigDecimal b = number(r);
            if (a != null && b != null && (l.isNumber() || r.isNumber())) {
                return Integer.signum(a.compareTo(b));
            }
            return null;
        }

        private static BigDecimal number(JsonNode node) {
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isString()) {
                try {
                    return new BigDecimal(node.stringValue().trim());
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
            return null;
        }
    }
}
