package dev.iotdr.telemetry.ingest.adapter.out.dynamodb;

import dev.iotdr.service.dynamodb.TableShape;

/**
 * The hot store's key layout, written down once. One item per stored message:
 *
 * <ul>
 *   <li>partition key {@code thingName} (S), sort key {@code messageId} (S): the key is the dedupe key, so a
 *       conditional put stores each {@code (thingName, messageId)} once, whichever input brought it;
 *   <li>index {@code byTime}: partition key {@code thingName}, sort key {@code ts} (N, the device's epoch
 *       milliseconds): a device's time range is one query, never a scan;
 *   <li>attributes {@code seq} (N), {@code metrics} (M of N or S), {@code clientId} (S), {@code receivedAt} (N),
 *       {@code ingestedIn} (S, the region whose service wrote it first), {@code ingestedAt} (N) and {@code
 *       expiresAt} (N, epoch seconds: DynamoDB's TTL removes the item after the retention, counted from {@code ts}).
 * </ul>
 *
 * <p>The table has a stream (new and old images) so that it is copied to the other regions as the device table is
 * (a global table in AWS). Only {@link DynamoTelemetryStore} writes and reads it. Encrypted at rest by DynamoDB
 * (with the region's KMS key where the infrastructure declares one); the emulator keeps it in memory only.
 */
final class TelemetryTable {
    static final String THING = "thingName";
    static final String MESSAGE_ID = "messageId";
    static final String TS = "ts";
    static final String SEQ = "seq";
    static final String METRICS = "metrics";
    static final String CLIENT_ID = "clientId";
    static final String RECEIVED_AT = "receivedAt";
    static final String INGESTED_IN = "ingestedIn";
    static final String INGESTED_AT = "ingestedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String BY_TIME = "byTime";

    private TelemetryTable() {}

    static TableShape shape(String table) {
        return TableShape.hashAndSort(table, THING, MESSAGE_ID).withIndex(new TableShape.Index(BY_TIME, THING, TS));
    }
}
