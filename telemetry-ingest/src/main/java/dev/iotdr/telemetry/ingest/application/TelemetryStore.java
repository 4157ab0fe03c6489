package dev.iotdr.telemetry.ingest.application;

import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.telemetry.ingest.domain.StoreOutcome;

/** The hot store: keeps each {@code (thingName, messageId)} once. */
public interface TelemetryStore {
    /**
     * Writes the record unless one with its key is there already; durable when this returns. Throws when the store
     * cannot answer (nothing was written, or the write is retried as the same key: never a second copy).
     */
    StoreOutcome store(TelemetryRecord record);
}
