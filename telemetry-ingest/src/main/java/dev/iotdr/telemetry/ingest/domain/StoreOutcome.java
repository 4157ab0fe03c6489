package dev.iotdr.telemetry.ingest.domain;

/** What storing one record did: written now, or already there (an edge resend, a redelivery, the other input). */
public enum StoreOutcome {
    STORED,
    DUPLICATE
}
