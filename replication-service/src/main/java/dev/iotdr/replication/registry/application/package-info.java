/**
 * Replication's use cases: make this region's registry match a device's record (level-triggered: the
 * table is the truth, a stream record is only the signal to look), audit and repair drift, re-sync a whole
 * region, check one device's readiness, and park or re-drive records that keep failing.
 */
package dev.iotdr.replication.registry.application;
