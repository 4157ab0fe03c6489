package dev.iotdr.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try connecting again, on the AWS IoT device SDK's MQTT5 schedule (its defaults): after the n-th failure
 * in a row a delay drawn uniformly from {@code [0, min(max, min * 2^n)]} ("full jitter"), {@code min} 1 s and
 * {@code max} 120 s; the count of failures starts again once a connection has stayed up for 30 s. Full jitter is
 * what spreads a fleet's reconnect storm over time instead of synchronising it.
 *
 * <p>One rule beyond the SDK's, for disaster recovery: {@link #newEndpoint()} starts the schedule again when the
 * name resolves to another address. The schedule protects an endpoint from this device's retries; an address this
 * device has not been failing against (the other region, after a failover) has not been hammered by it, and
 * waiting out a long delay earned against the dead region is what would stretch the fleet's recovery.
 *
 * <p>Not thread-safe: one agent's connection loop uses it.
 */
public final class ReconnectBackoff {
    public static final Duration MIN = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(120);
    public static final Duration RESET_AFTER = Duration.ofSeconds(30);

    private final RandomGenerator random;
    private int failures;
    private Instant connectedSince;

    public ReconnectBackoff(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next attempt, after a failed attempt or a lost connection. */
    public Duration nextDelay() {
        Duration ceiling = ceiling(failures);
        failures = Math.min(failures + 1, 30);
        return Duration.ofNanos((long) (random.nextDouble() * ceiling.toNanos()));
    }

    /** The upper end of the delay after {@code failures} failures in a row. */
    public static Duration ceiling(int failures) {
        long millis = MIN.toMillis() << Math.min(failures, 20);
        return Duration.ofMillis(Math.min(MAX.toMillis(), millis));
    }

    /** A connection came up at {@code at}. */
    public void connected(Instant at) {
        connectedSince = at;
    }

    /** The connection went down at {@code at}: the schedule starts again if it had been up for 30 s. */
    public void disconnected(Instant at) {
        if (connectedSince != null
                && !Duration.between(connectedSince, at).minus(RESET_AFTER).isNegative()) {
            failures = 0;
        }
        connectedSince = null;
    }

    /** The name now resolves to an address this device has not been failing against. */
    public void newEndpoint() {
        failures = 0;
    }

    /** Failures in a row so far (the exponent of the next ceiling). */
    public int failures() {
        return failures;
    }
}
