/**
 * Reading device-table streams with shard leases and durable checkpoints.
 *
 * <p>Why our own lease-based reader rather than KCL 3.1 with the DynamoDB Streams adapter: (1) it follows
 * the source <em>table</em>, not a fixed stream ARN: a region rebuilt from scratch gets a new table and a
 * new stream, and the reader moves to it on the next poll, where a KCL scheduler is bound to one stream and
 * must be rebuilt; (2) leases and checkpoints live in the consumer's own region while it reads another
 * region's stream (table-copy mode), so they survive the source region's outage; (3) no CloudWatch
 * dependency, no coordinator or worker-metrics tables, and a fresh reader applies within one poll (250 ms
 * by default: four reads a second per shard, under the five AWS allows) instead of KCL's multi-second lease cycle; (4) it is small enough to test deterministically,
 * including restarts at any point. What it does not do that KCL does: balance leases between workers by
 * stealing (a second worker takes only expired or unowned leases).
 *
 * <p>Order: a shard is read only after its parent shard is completed; records of one device always share
 * a shard, so they arrive in order. Checkpoints move after each record is applied or parked, so a restart
 * replays at most the record in flight, and replays are no-ops (applied versions only move forward).
 */
package dev.iotdr.replication.stream.application;
