package dev.iotdr.dataplane.policy;

/** The outcome of evaluating policies for one request, saying why when it is a denial. */
public enum PolicyDecision {
    ALLOWED,
    /** Some statement denies it; no Allow can override that. */
    EXPLICITLY_DENIED,
    /** No statement allows it. */
    NOT_ALLOWED;

    public boolean allowed() {
        return this == ALLOWED;
    }
}
