/** Replication's settings and the wiring of its use cases, adapters and stream readers. */
package dev.iotdr.replication.config;
