package dev.iotdr.dataplane.rules;

import java.util.Objects;

/** A stored, enabled topic rule the local data plane does not execute, and why. */
public record UnsupportedRule(String ruleName, String reason) {
    public UnsupportedRule {
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(reason, "reason");
    }
}
