package dev.iotdr.dataplane.rules;

/**
 * A topic rule the local data plane cannot execute as AWS IoT would (SQL outside the supported subset, an action
 * other than SQS); raised when the rule is loaded, never when a message arrives.
 */
public final class UnsupportedRuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedRuleException(String message) {
        super(message);
    }
}
