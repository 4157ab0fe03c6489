package dev.iotdr.replication.registry.domain;

/** Where a job is. */
public enum JobState {
    RUNNING,
    SUCCEEDED,
    FAILED
}
