package dev.iotdr.telemetry.presence.adapter.out.dynamodb;

import dev.iotdr.service.dynamodb.TableShape;

/**
 * The presence table's key layout, written down once. Partition key {@code pk} (S), sort key {@code sk} (S):
 *
 * <ul>
 *   <li>a device's state in a region: {@code pk = <clientId>}, {@code sk = <region>}; attributes {@code session}
 *       (S), {@code sessionConnectedAt}, {@code since}, {@code lastEventAt} (N), {@code connected} (BOOL), {@code
 *       disconnectReason} (S) and {@code revision} (N, bumped by every write: the condition of the next). A
 *       device's view across regions is one query on its {@code pk}.
 *   <li>a region's count, in {@value #SHARDS} shards so that no single item takes every event of a reconnect
 *       storm: {@code pk = #region} ({@code #} is not allowed in a client id that is a thing name), {@code sk =
 *       <region>#<shard>} (a device always counts in the shard of its client id's hash); attributes {@code
 *       connected} (N) and {@code lastEventAt} (N). A shard moves only in the same transaction as the device item
 *       whose change it counts. A region's count is one query on {@code pk = #region} and its {@code sk} prefix:
 *       {@value #SHARDS} items, whatever the fleet's size.
 * </ul>
 *
 * <p>Only {@link DynamoPresenceStore} reads and writes it.
 */
final class PresenceTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String REGION_PK = "#region";
    static final int SHARDS = 16;
    static final String SESSION = "session";
    static final String SESSION_CONNECTED_AT = "sessionConnectedAt";
    static final String CONNECTED = "connected";
    static final String SINCE = "since";
    static final String LAST_EVENT_AT = "lastEventAt";
    static final String DISCONNECT_REASON = "disconnectReason";
    static final String REVISION = "revision";

    private PresenceTable() {}

    static TableShape shape(String table) {
        return TableShape.hashAndSort(table, PK, SK);
    }

    static int shardOf(String clientId) {
        return Math.floorMod(clientId.hashCode(), SHARDS);
    }

    static String shard(String region, String clientId) {
        return region + "#" + String.format("%02d", shardOf(clientId));
    }
}
