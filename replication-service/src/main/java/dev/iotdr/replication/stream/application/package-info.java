/**
 * Reading device-table streams with shard leases, durable checkpoints and watermarks.
 *
 * <p>Why our own lease-based reader rather than KCL 3.1 with the DynamoDB Streams adapter 2.0.1 (which does
 * consume from the emulator here): (1) it follows the source <em>table</em>, not a fixed stream ARN: a
 * region rebuilt from scratch gets a new table and a new stream, and the reader moves to it (recording the
 * gap and starting a catch-up), where a KCL scheduler is bound to one stream and must be rebuilt; (2)
 * leases, checkpoints and watermarks live in the consumer's own region while it reads another region's
 * stream (table-copy mode), in one partition per source, so they survive the source region's outage and
 * give the shared, honest lag the failover rule needs ({@link dev.iotdr.replication.stream.application.ReplicationLag})
 * with one query, which KCL's lease table and CloudWatch metrics do not expose as one figure; (3) no
 * CloudWatch dependency, no coordinator or worker-metrics tables, and a fresh record is applied within one
 * poll (250 ms) instead of KCL's multi-second lease and idle cycles; (4) it is small enough to be proven
 * against a model stream with splits, empty answers, trimming and concurrent workers
 * ({@code StreamReaderPropertyTest}). What KCL does that we also do: shard leases with conditional
 * ownership, balancing by taking and stealing ({@link dev.iotdr.replication.stream.application.LeaseBalance}),
 * parent-before-child order, iterators kept across empty answers, leases of finished shards removed.
 *
 * <p>Order: a shard is read only after its parent shard is completed; records of one device always share
 * a shard, so they arrive in order, and a batch applies each device's records in order (devices in
 * parallel). Checkpoints move after a whole batch is applied or parked, so a restart replays at most the
 * batch in flight, and replays are no-ops (the record applied is recorded, and its version never goes back).
 */
package dev.iotdr.replication.stream.application;
