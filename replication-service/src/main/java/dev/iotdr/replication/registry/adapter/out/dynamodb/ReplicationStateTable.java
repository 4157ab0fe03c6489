package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.service.dynamodb.TableShape;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.Region;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key layouts of replication's two regional tables, written down once. Both have string keys
 * {@code pk} (partition) and {@code sk} (sort); {@code ttl} expires items. Per-device items and the
 * coordination items are kept in separate tables, so that what every poll and status call reads never
 * shares a table with a million devices' items (on DynamoDB a Query reads one partition whatever the table
 * holds; the local emulator's Query walks the whole table, so the split matters there too).
 *
 * <table>
 *   <caption>replication-state (per device)</caption>
 *   <tr><th>pk</th><th>sk</th><th>what</th><th>owner</th><th>read by</th></tr>
 *   <tr><td>{@code applied#<deviceId>}</td><td>{@code applied}</td><td>the record the registry holds: {@code version} (only moves
 *       forward) and {@code tie} (its tie key; absent on items written before ties were kept)</td>
 *       <td>{@link DynamoReplicationState}</td><td>GetItem per applied record</td></tr>
 *   <tr><td>{@code parked}</td><td>{@code <deviceId>}</td><td>a dead letter</td>
 *       <td>{@link DynamoReplicationState}</td><td>Query of that partition, paged (the dead-letter list and
 *       its re-drive only)</td></tr>
 *   <tr><td>{@code epoch}</td><td>{@code epoch}</td><td>when this region's replication state began</td>
 *       <td>{@link DynamoReplicationState}</td><td>GetItem, once per process</td></tr>
 * </table>
 *
 * <table>
 *   <caption>replication-coordination (per shard, worker, source, job)</caption>
 *   <tr><th>pk</th><th>sk</th><th>what</th><th>owner</th><th>read by</th></tr>
 *   <tr><td>{@code source#<region>} (a copied table's: {@code source#<region>#<table>}; every row of this
 *       partition the same)</td><td>{@code lease#<streamArn>#<shardId>}</td><td>a shard's lease:
 *       owner, expiry, checkpoint, watermark, records in flight</td><td>{@link DynamoShardLeases}</td>
 *       <td>Query of the source's partition, every poll and status call: one item per shard</td></tr>
 *   <tr><td>{@code source#<region>}</td><td>{@code worker#<workerId>}</td><td>a worker's heartbeat (TTL)</td>
 *       <td>{@link DynamoShardLeases}</td><td>Query of the source's partition, every poll</td></tr>
 *   <tr><td>{@code source#<region>}</td><td>{@code state}</td><td>stream read, last successful poll, gaps</td>
 *       <td>{@link DynamoShardLeases}</td><td>GetItem (status, lag)</td></tr>
 *   <tr><td>{@code counters}</td><td>{@code parked}</td><td>number of dead letters, changed in the same
 *       transaction as a dead letter</td><td>{@link DynamoReplicationState}</td><td>GetItem (status)</td></tr>
 *   <tr><td>{@code jobs}</td><td>{@code <jobId>} (starts with the creation time)</td><td>an audit or
 *       re-sync job, its segment cursors and counts; kept 7 days after it ends (TTL)</td>
 *       <td>{@link DynamoJobs}</td><td>GetItem by id; Query newest first, limited; Query of running ones
 *       (the partition holds only a week of operators' and gaps' jobs)</td></tr>
 * </table>
 *
 * <p>Nothing reads either table by scanning: a poll's and a status call's work depends on the number of
 * shards, workers and recent jobs, never on the number of devices.
 */
final class ReplicationStateTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String TTL = "ttl";

    private ReplicationStateTable() {}

    static TableShape shape(String table) {
        return TableShape.hashAndSort(table, PK, SK);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static Map<String, AttributeValue> applied(DeviceId device) {
        return key("applied#" + device.value(), "applied");
    }

    static Map<String, AttributeValue> parked(DeviceId device) {
        return key("parked", device.value());
    }

    static Map<String, AttributeValue> parkedCounter() {
        return key("counters", "parked");
    }

    static Map<String, AttributeValue> epoch() {
        return key("epoch", "epoch");
    }

    /** The device table's source partition, {@code source#<region>}; a copied table's, {@code source#<region>#<table>}. */
    static String sourcePartition(String feed, Region source) {
        return feed.isEmpty() ? "source#" + source.code() : "source#" + source.code() + "#" + feed;
    }

    static Map<String, AttributeValue> lease(String feed, Region source, String streamArn, String shardId) {
        return key(sourcePartition(feed, source), "lease#" + streamArn + "#" + shardId);
    }

    static Map<String, AttributeValue> worker(String feed, Region source, String worker) {
        return key(sourcePartition(feed, source), "worker#" + worker);
    }

    static Map<String, AttributeValue> sourceState(String feed, Region source) {
        return key(sourcePartition(feed, source), "state");
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
