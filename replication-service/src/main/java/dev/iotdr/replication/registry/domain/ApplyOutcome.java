package dev.iotdr.replication.registry.domain;

/** What applying a device's record to this region's registry did. */
public enum ApplyOutcome {
    /** The registry now matches the record. */
    APPLIED,
    /** This record (or a newer version) was applied already: a duplicate, replay or out-of-order record. */
    SKIPPED_DUPLICATE,
    /** The record was written by this region; its own onboarding service provisioned it. */
    SKIPPED_OWN_REGION,
    /** The device has no record in this region's table (nothing to apply). */
    SKIPPED_ABSENT
}
