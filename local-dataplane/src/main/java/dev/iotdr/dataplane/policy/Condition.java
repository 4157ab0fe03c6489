package dev.iotdr.dataplane.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One condition of a statement: an operator applied to a context key and the values it may take. */
record Condition(Operator operator, String key, List<PolicyPattern> values) {
    /** The condition operators the local data plane evaluates. */
    enum Operator {
        BOOL("Bool"),
        STRING_EQUALS("StringEquals"),
        STRING_NOT_EQUALS("StringNotEquals"),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase"),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase"),
        STRING_LIKE("StringLike"),
        STRING_NOT_LIKE("StringNotLike");

        private final String policyName;

        Operator(String policyName) {
            this.policyName = policyName;
        }

        static Operator named(String name) {
            for (Operator operator : values()) {
                if (operator.policyName.equals(name)) {
                    return operator;
                }
            }
            throw new InvalidPolicyException("condition operator '" + name + "' is not supported by the local data"
                    + " plane; supported: Bool, StringEquals, StringNotEquals, StringEqualsIgnoreCase,"
                    + " StringNotEqualsIgnoreCase, StringLike, StringNotLike");
        }

        boolean negated() {
            return this == STRING_NOT_EQUALS || this == STRING_NOT_EQUALS_IGNORE_CASE || this == STRING_NOT_LIKE;
        }
    }

    Condition {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new InvalidPolicyException("condition " + operator.policyName + " on " + key + " has no values");
        }
    }

    boolean holds(ConnectionContext context) {
        if (values.stream().anyMatch(value -> value.literal(context).isEmpty())) {
            // a value naming a variable with no value here leaves the statement unmatched, negated or not
            return false;
        }
        Optional<String> actual = context.value(key);
        if (actual.isEmpty()) {
            // as in IAM: a key absent from the request matches nothing, so only the negated operators hold
            return operator.negated();
        }
        boolean anyMatches = values.stream().anyMatch(value -> matches(value, actual.get(), context));
        return operator.negated() != anyMatches;
    }

    private boolean matches(PolicyPattern value, String actual, ConnectionContext context) {
        return switch (operator) {
            case STRING_LIKE, STRING_NOT_LIKE -> value.matches(actual, context, false);
            case BOOL ->
                value.literal(context)
                        .map(v -> v.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT)))
                        .orElse(false);
            case STRING_EQUALS, STRING_NOT_EQUALS ->
                value.literal(context).map(actual::equals).orElse(false);
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE ->
                value.literal(context).map(actual::equalsIgnoreCase).orElse(false);
        };
    }
}
