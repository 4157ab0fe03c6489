/**
 * What replication decides about one device in one region, as plain values: what happened to a record
 * ({@link dev.iotdr.replication.registry.domain.ApplyOutcome}), where the registry differs from the table
 * ({@link dev.iotdr.replication.registry.domain.Drift}), and whether a device could connect here now
 * ({@link dev.iotdr.replication.registry.domain.Readiness}).
 */
package dev.iotdr.replication.registry.domain;
