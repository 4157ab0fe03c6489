package dev.iotdr.telemetry.ingest.application;

/** Where a queue message that cannot be stored is parked, unchanged, with why. */
public interface DeadLetters {
    /** Parks {@code body} with {@code field} and {@code reason} readable beside it; durable when this returns. */
    void park(String body, String field, String reason, int receives);
}
