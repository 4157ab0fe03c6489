package dev.iotdr.failover.decision.application;

import java.time.Duration;
import java.util.Optional;

/**
 * An audit of a region's registry against its table, as far as it got: the job's id (empty if it could not
 * be started), its last state ({@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} when the wait's bound
 * ran out, {@code UNAVAILABLE} when the service did not answer), how long was waited, and the drift (devices
 * not connect-ready there), known only when it succeeded.
 */
public record Audit(Optional<String> jobId, String state, Duration took, Optional<Integer> drift) {}
