package dev.iotdr.dataplane.policy;

import java.util.List;
import java.util.Objects;

/**
 * All the policies attached to a connection's certificate (and thing groups), evaluated together: allowed when
 * some policy allows and none denies.
 */
public record AttachedPolicies(List<IotPolicy> policies) {
    public AttachedPolicies {
        policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
    }

    public static AttachedPolicies of(IotPolicy... policies) {
        return new AttachedPolicies(List.of(policies));
    }

    public boolean allows(IotAction action, String resourceArn, ConnectionContext context) {
        return evaluate(action, resourceArn, context).allowed();
    }

    /** Deny anywhere wins; otherwise allowed if any policy allows; with no policies, nothing is allowed. */
    public PolicyDecision evaluate(IotAction action, String resourceArn, ConnectionContext context) {
        boolean allowed = false;
        for (IotPolicy policy : policies) {
            PolicyDecision decision = policy.evaluate(action, resourceArn, context);
            if (decision == PolicyDecision.EXPLICITLY_DENIED) {
                return decision;
            }
            allowed |= decision.allowed();
        }
        return allowed ? PolicyDecision.ALLOWED : PolicyDecision.NOT_ALLOWED;
    }
}
