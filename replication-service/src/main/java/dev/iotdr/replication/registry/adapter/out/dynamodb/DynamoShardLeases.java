package dev.iotdr.replication.registry.adapter.out.dynamodb;

import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.PK;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.SK;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.TTL;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.n;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.s;

import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoQueries;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ShardLeases} and {@link SourceReads} in this region's replication-coordination table, one partition per
 * source region (layout: {@link ReplicationStateTable}). Every lease change is conditional on its holder.
 */
public final class DynamoShardLeases implements ShardLeases, SourceReads {
    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;
    private final String feed;

    /** The device table's leases and reads. */
    DynamoShardLeases(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this(dynamo, calls, table, "");
    }

    /**
     * The leases and reads of {@code feed}'s stream (a copied table's name; empty for the device table), in
     * partitions of their own beside the device table's.
     */
    public DynamoShardLeases(DynamoDbClient dynamo, GuardedAwsCalls calls, String table, String feed) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
        this.feed = feed;
    }

    @Override
    public List<Lease> leases(Region source) {
        List<Lease> leases = new ArrayList<>();
        query(source, "lease#", item -> leases.add(decode(source, item)));
        return leases;
    }

    @Override
    public void create(Lease lease) {
        Map<String, AttributeValue> item =
                new HashMap<>(ReplicationStateTable.lease(feed, lease.source(), lease.streamArn(), lease.shardId()));
        item.put("streamArn", s(lease.streamArn()));
        item.put("shardId", s(lease.shardId()));
        lease.parentShardId().ifPresent(parent -> item.put("parentShardId", s(parent)));
        item.put("expiresAt", n(0));
        item.put("completed", AttributeValue.fromBool(false));
        item.put("watermark", n(lease.watermark().toEpochMilli()));
        item.put("inFlight", n(0));
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
        } catch (ConditionalCheckFailedException exists) {
            // another worker created it
        }
    }

    @Override
    public Optional<Lease> take(Lease lease, String worker, Instant now, Instant until) {
        return ownerChange(
                lease,
                worker,
                until,
                "attribute_exists(#pk) AND (attribute_not_exists(#owner) OR #owner = :me OR #expires <= :now)",
                Map.of(":now", n(now.toEpochMilli())));
    }

    @Override
    public Optional<Lease> steal(Lease lease, String worker, Instant until) {
        if (lease.owner().isEmpty()) {
            return Optional.empty();
        }
        return ownerChange(
                lease,
                worker,
                until,
                "attribute_exists(#pk) AND #owner = :them AND #expires = :seen",
                Map.of(
                        ":them",
                        s(lease.owner().get()),
                        ":seen",
                        n(lease.expiresAt().toEpochMilli())));
    }

    private Optional<Lease> ownerChange(
            Lease lease, String worker, Instant until, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":me", s(worker));
        allValues.put(":until", n(until.toEpochMilli()));
        try {
            var updated = calls.call(
                    AwsApi.DYNAMODB_UPDATE_ITEM,
                    () -> dynamo.updateItem(r -> r.tableName(table)
                            .key(ReplicationStateTable.lease(feed, lease.source(), lease.streamArn(), lease.shardId()))
                            .updateExpression("SET #owner = :me, #expires = :until")
                            .conditionExpression(condition)
                            .expressionAttributeNames(Map.of("#pk", PK, "#owner", "owner", "#expires", "expiresAt"))
                            .expressionAttributeValues(allValues)
                            .returnValues(ReturnValue.ALL_NEW)));
            return Optional.of(decode(lease.source(), updated.attributes()));
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public boolean progress(
            Lease lease, String worker, Optional<String> checkpoint, Instant watermark, int inFlight, Instant until) {
        Map<String, String> names = new HashMap<>(
                Map.of("#owner", "owner", "#expires", "expiresAt", "#watermark", "watermark", "#inFlight", "inFlight"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":me",
                s(worker),
                ":until",
                n(until.toEpochMilli()),
                ":watermark",
                n(watermark.toEpochMilli()),
                ":inFlight",
                n(inFlight)));
        StringBuilder update =
                new StringBuilder("SET #expires = :until, #watermark = :watermark, #inFlight = :inFlight");
        checkpoint.ifPresent(sequence -> {
            update.append(", #checkpoint = :checkpoint");
            names.put("#checkpoint", "checkpoint");
            values.put(":checkpoint", s(sequence));
        });
        return ownerConditional(lease, update.toString(), names, values);
    }

    @Override
    public boolean complete(Lease lease, String worker) {
        return ownerConditional(
                lease,
                "SET #completed = :true, #inFlight = :zero",
                Map.of("#owner", "owner", "#completed", "completed", "#inFlight", "inFlight"),
                Map.of(":me", s(worker), ":true", AttributeValue.fromBool(true), ":zero", n(0)));
    }

    private boolean ownerConditional(
            Lease lease, String update, Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_UPDATE_ITEM,
                    () -> dynamo.updateItem(r -> r.tableName(table)
                            .key(ReplicationStateTable.lease(feed, lease.source(), lease.streamArn(), lease.shardId()))
                            .updateExpression(update)
                            .conditionExpression("#owner = :me")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    @Override
    public void remove(Lease lease) {
        calls.run(
                AwsApi.DYNAMODB_DELETE_ITEM,
                () -> dynamo.deleteItem(r -> r.tableName(table)
                        .key(ReplicationStateTable.lease(feed, lease.source(), lease.streamArn(), lease.shardId()))));
    }

    @Override
    public void heartbeat(Region source, String worker, Instant until) {
        Map<String, AttributeValue> item = new HashMap<>(ReplicationStateTable.worker(feed, source, worker));
        item.put("worker", s(worker));
        item.put("expiresAt", n(until.toEpochMilli()));
        item.put(TTL, n(until.getEpochSecond() + 3600));
        calls.run(
                AwsApi.DYNAMODB_PUT_ITEM,
                () -> dynamo.putItem(r -> r.tableName(table).item(item)));
    }

    @Override
    public Set<String> workers(Region source, Instant now) {
        Set<String> live = new HashSet<>();
        query(source, "worker#", item -> {
            if (Long.parseLong(item.get("expiresAt").n()) > now.toEpochMilli()) {
                live.add(item.get("worker").s());
            }
        });
        return live;
    }

    @Override
    public void polled(Region source, Optional<String> streamArn, Instant at) {
        Map<String, String> names = new HashMap<>(Map.of("#polled", "lastPolledAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", n(at.toEpochMilli())));
        String update;
        if (streamArn.isPresent()) {
            update = "SET #polled = :at, #stream = :stream";
            names.put("#stream", "streamArn");
            values.put(":stream", s(streamArn.get()));
        } else {
            update = "SET #polled = :at REMOVE #stream";
            names.put("#stream", "streamArn");
        }
        try {
            calls.run(
                    AwsApi.DYNAMODB_UPDATE_ITEM,
                    () -> dynamo.updateItem(r -> r.tableName(table)
                            .key(ReplicationStateTable.sourceState(feed, source))
                            .updateExpression(update)
                            .conditionExpression("attribute_not_exists(#polled) OR #polled < :at")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)));
        } catch (ConditionalCheckFailedException newerPoll) {
            // another worker recorded a later poll
        }
    }

    @Override
    public void gap(Region source, StreamGap gap) {
        calls.run(
                AwsApi.DYNAMODB_UPDATE_ITEM,
                () -> dynamo.updateItem(r -> r.tableName(table)
                        .key(ReplicationStateTable.sourceState(feed, source))
                        .updateExpression("ADD #gaps :one SET #gapStream = :stream, #gapShard = :shard,"
                                + " #gapCause = :cause, #gapAt = :at")
                        .expressionAttributeNames(Map.of(
                                "#gaps", "gaps",
                                "#gapStream", "lastGapStream",
                                "#gapShard", "lastGapShard",
                                "#gapCause", "lastGapCause",
                                "#gapAt", "lastGapAt"))
                        .expressionAttributeValues(Map.of(
                                ":one", n(1),
                                ":stream", s(gap.streamArn()),
                                ":shard", s(gap.shardId()),
                                ":cause", s(gap.cause()),
                                ":at", n(gap.at().toEpochMilli())))));
    }

    @Override
    public Optional<SourceState> state(Region source) {
        var response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(table)
                        .key(ReplicationStateTable.sourceState(feed, source))
                        .consistentRead(true)));
        if (!response.hasItem() || !response.item().containsKey("lastPolledAt")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        Optional<StreamGap> lastGap = Optional.ofNullable(item.get("lastGapAt"))
                .map(at -> new StreamGap(
                        item.get("lastGapStream").s(),
                        item.get("lastGapShard").s(),
                        item.get("lastGapCause").s(),
                        Instant.ofEpochMilli(Long.parseLong(at.n()))));
        return Optional.of(new SourceState(
                Optional.ofNullable(item.get("streamArn")).map(AttributeValue::s),
                Instant.ofEpochMilli(Long.parseLong(item.get("lastPolledAt").n())),
                Optional.ofNullable(item.get("gaps"))
                        .map(g -> Long.parseLong(g.n()))
                        .orElse(0L),
                lastGap));
    }

    private void query(Region source, String prefix, java.util.function.Consumer<Map<String, AttributeValue>> each) {
        DynamoQueries.forEach(
                dynamo,
                calls,
                request -> request.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", s(ReplicationStateTable.sourcePartition(feed, source)), ":prefix", s(prefix))),
                each);
    }

    private static Lease decode(Region source, Map<String, AttributeValue> item) {
        return new Lease(
                source,
                item.get("streamArn").s(),
                item.get("shardId").s(),
                Optional.ofNullable(item.get("parentShardId")).map(AttributeValue::s),
                Optional.ofNullable(item.get("owner")).map(AttributeValue::s),
                Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())),
                Optional.ofNullable(item.get("checkpoint")).map(AttributeValue::s),
                item.containsKey("completed")
                        && Boolean.TRUE.equals(item.get("completed").bool()),
                Instant.ofEpochMilli(Long.parseLong(item.get("watermark").n())),
                Integer.parseInt(item.get("inFlight").n()));
    }
}
