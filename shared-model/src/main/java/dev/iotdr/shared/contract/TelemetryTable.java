package dev.iotdr.shared.contract;

/**
 * The telemetry hot store's name, shared by telemetry ingest (which writes it) and replication (which copies it
 * between regions where the table is not a global table: the local stack).
 */
public final class TelemetryTable {
    public static final String DEFAULT_NAME = "telemetry";

    private TelemetryTable() {}
}
