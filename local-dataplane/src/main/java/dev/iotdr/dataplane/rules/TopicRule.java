package dev.iotdr.dataplane.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.iot.model.Action;

/** A topic rule the local data plane can execute: its query, its SQS actions and its optional SQS error action. */
record TopicRule(String name, RuleSql sql, List<SqsTarget> actions, Optional<SqsTarget> errorAction) {
    TopicRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        actions = List.copyOf(actions);
        Objects.requireNonNull(errorAction, "errorAction");
    }

    /**
     * The executable form of a rule as the registry stores it.
     *
     * @throws UnsupportedRuleException saying why the rule cannot be executed here
     */
    static TopicRule from(String name, software.amazon.awssdk.services.iot.model.TopicRule stored) {
        RuleSql sql = RuleSql.parse(Objects.requireNonNullElse(stored.sql(), ""));
        List<SqsTarget> actions = new ArrayList<>();
        for (Action action : stored.actions()) {
            actions.add(sqs(action, "action"));
        }
        Optional<SqsTarget> errorAction = stored.errorAction() == null
                ? Optional.empty()
                : Optional.of(sqs(stored.errorAction(), "error action"));
        return new TopicRule(name, sql, actions, errorAction);
    }

    private static SqsTarget sqs(Action action, String role) {
        List<String> kinds = new ArrayList<>();
        for (SdkField<?> field : action.sdkFields()) {
            if (field.getValueOrDefault(action) != null) {
                kinds.add(field.memberName());
            }
        }
        if (action.sqs() == null || kinds.size() != 1) {
            throw new UnsupportedRuleException("its " + role + " " + kinds
                    + " is not supported by the local data plane; only an sqs action is executed");
        }
        return new SqsTarget(
                action.sqs().queueUrl(), Boolean.TRUE.equals(action.sqs().useBase64()));
    }
}
