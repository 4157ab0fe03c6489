package dev.iotdr.dataplane.policy;

import java.util.List;

/** One statement of a policy: its effect on the actions and resources it names, under its conditions. */
record Statement(
        Effect effect, List<PolicyPattern> actions, List<PolicyPattern> resources, List<Condition> conditions) {
    enum Effect {
        ALLOW,
        DENY
    }

    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    boolean applies(IotAction action, String resourceArn, ConnectionContext context) {
        return actions.stream().anyMatch(a -> a.matches(action.policyName(), context, true))
                && resources.stream().anyMatch(r -> r.matches(resourceArn, context, false))
                && conditions.stream().allMatch(c -> c.holds(context));
    }
}
