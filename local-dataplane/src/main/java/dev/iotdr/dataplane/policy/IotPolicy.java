package dev.iotdr.dataplane.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A parsed IoT policy document that answers whether it allows, denies or says nothing about a request. */
public final class IotPolicy {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Statement> statements;

    private IotPolicy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a policy document (JSON). {@code Statement} may be an object or an array; {@code Action} and
     * {@code Resource} a string or an array of strings.
     *
     * @throws InvalidPolicyException if the document is malformed or uses what the local data plane cannot
     *     evaluate (the message says what and what is allowed)
     */
    public static IotPolicy parse(String document) {
        Objects.requireNonNull(document, "document");
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JacksonException e) {
            throw new InvalidPolicyException("policy document is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPolicyException("policy document must be a JSON object with a Statement");
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new InvalidPolicyException("policy document has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (statementNode.isArray()) {
            for (JsonNode node : statementNode) {
                statements.add(statement(node, statements.size()));
            }
        } else {
            statements.add(statement(statementNode, 0));
        }
        return new IotPolicy(statements);
    }

    /** Whether this policy alone allows the request: some Allow applies and no Deny does. */
    public boolean allows(IotAction action, String resourceArn, ConnectionContext context) {
        return evaluate(action, resourceArn, context).allowed();
    }

    /** This policy's decision on the request. */
    public PolicyDecision evaluate(IotAction action, String resourceArn, ConnectionContext context) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceArn, "resourceArn");
        Objects.requireNonNull(context, "context");
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.applies(action, resourceArn, context)) {
                if (statement.effect() == Statement.Effect.DENY) {
                    return PolicyDecision.EXPLICITLY_DENIED;
                }
                allowed = true;
            }
        }
        return allowed ? PolicyDecision.ALLOWED : PolicyDecision.NOT_ALLOWED;
    }

    private static Statement statement(JsonNode node, int index) {
        String where = "Statement[" + index + "]";
        if (!node.isObject()) {
            throw new InvalidPolicyException(where + " must be a JSON object");
        }
        for (String unsupported : List.of("NotAction", "NotResource", "NotPrincipal", "Principal")) {
            if (node.has(unsupported)) {
                throw new InvalidPolicyException(where + " uses " + unsupported
                        + ", which the local data plane does not evaluate; use Action and Resource");
            }
        }
        JsonNode effectNode = node.get("Effect");
        Statement.Effect effect;
        if (effectNode != null && "Allow".equals(effectNode.stringValue(null))) {
            effect = Statement.Effect.ALLOW;
        } else if (effectNode != null && "Deny".equals(effectNode.stringValue(null))) {
            effect = Statement.Effect.DENY;
        } else {
            throw new InvalidPolicyException(where + " has Effect " + effectNode + "; allowed: \"Allow\" or \"Deny\"");
        }
        List<PolicyPattern> actions = patterns(node.get("Action"), where + ".Action");
        List<PolicyPattern> resources = patterns(node.get("Resource"), where + ".Resource");
        List<Condition> conditions = new ArrayList<>();
        JsonNode conditionNode = node.get("Condition");
        if (conditionNode != null) {
            if (!conditionNode.isObject()) {
                throw new InvalidPolicyException(where + ".Condition must be an object of operators");
            }
            for (Map.Entry<String, JsonNode> operator : conditionNode.properties()) {
                Condition.Operator op = Condition.Operator.named(operator.getKey());
                if (!operator.getValue().isObject()) {
                    throw new InvalidPolicyException(
                            where + ".Condition." + operator.getKey() + " must be an object of keys to values");
                }
                for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                    String path = where + ".Condition." + operator.getKey() + "." + key.getKey();
                    conditions.add(new Condition(op, key.getKey(), conditionValues(key.getValue(), path)));
                }
            }
        }
        return new Statement(effect, actions, resources, conditions);
    }

    private static List<PolicyPattern> patterns(JsonNode node, String where) {
        if (node == null) {
            throw new InvalidPolicyException(where + " is missing; give a string or an array of strings");
        }
        List<String> values = strings(node, where, false);
        if (values.isEmpty()) {
            throw new InvalidPolicyException(where + " is empty; give at least one string");
        }
        return values.stream().map(PolicyPattern::parse).toList();
    }

    private static List<PolicyPattern> conditionValues(JsonNode node, String where) {
        return strings(node, where, true).stream().map(PolicyPattern::parse).toList();
    }

    /** Strings, or (for condition values, as IAM allows) booleans and numbers written without quotes. */
    private static List<String> strings(JsonNode node, String where, boolean scalars) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                out.add(string(element, where, scalars));
            }
        } else {
            out.add(string(node, where, scalars));
        }
        return out;
    }

    private static String string(JsonNode node, String where, boolean scalars) {
        if (node.isString()) {
            return node.stringValue();
        }
        if (scalars && (node.isBoolean() || node.isNumber())) {
            return node.asString();
        }
        throw new InvalidPolicyException(where + " holds " + node + "; allowed: a string or an array of strings");
    }
}
