package dev.iotdr.replication.registry.domain;

/** What a replication job does. */
public enum JobKind {
    /** Compares every record with the registry and every fleet thing with the table; changes nothing. */
    AUDIT,
    /** An audit that applies every drifted device again, forced. */
    AUDIT_AND_REPAIR,
    /** Rebuilds the region: copies newer records from the other regions (table-copy mode), applies every device, forced. */
    RESYNC,
    /** After a stream gap: copies higher-ranked records, then applies only devices whose applied record is behind. */
    CATCH_UP
}
