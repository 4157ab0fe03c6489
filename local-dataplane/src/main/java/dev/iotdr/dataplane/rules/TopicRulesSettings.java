package dev.iotdr.dataplane.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TopicRules} runs: how often it re-reads the registry, how many threads and queued executions its
 * actions get, how throttled sends are retried, and how long {@code close()} waits for queued work.
 *
 * @param refreshInterval how often the rules are re-read (rules are few, so each read is bounded work)
 * @param workers threads running rule actions; each waits for its SQS answer, and sends to one queue made at
 *     once share requests, so enough of them let a busy queue's sends go ten to a request
 * @param queueCapacity executions waiting for a thread before new ones are refused (and logged as lost)
 * @param throttleRetries retries of a throttled send before the action counts as failed
 * @param firstBackoff the pause before the first retry; doubled for each further one
 * @param drainTimeout how long {@code close()} waits for queued executions
 */
public record TopicRulesSettings(
        Duration refreshInterval,
        int workers,
        int queueCapacity,
        int throttleRetries,
        Duration firstBackoff,
        Duration drainTimeout) {
    public static final TopicRulesSettings DEFAULTS = new TopicRulesSettings(
            Duration.ofSeconds(2), 40, 10_000, 3, Duration.ofMillis(100), Duration.ofSeconds(30));

    public TopicRulesSettings {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive, was " + refreshInterval);
        }
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException(
                    "workers and queueCapacity must be at least 1, were " + workers + " and " + queueCapacity);
        }
        if (throttleRetries < 0 || firstBackoff.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("throttleRetries, firstBackoff and drainTimeout must not be negative");
        }
    }
}
