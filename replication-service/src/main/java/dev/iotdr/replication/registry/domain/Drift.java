package dev.iotdr.replication.registry.domain;

/** One difference between the registry and the table for one device. */
public record Drift(String deviceId, DriftKind kind, String detail) {}
