package dev.iotdr.dataplane.rules;

/**
 * What happened to the (rule, message) pairs executed so far: delivered by the rule's actions, delivered to its
 * error action instead, or lost (both failed, no error action, or no room to run) and logged at ERROR.
 */
public record RuleExecutionCounts(long delivered, long toErrorAction, long lost) {}
