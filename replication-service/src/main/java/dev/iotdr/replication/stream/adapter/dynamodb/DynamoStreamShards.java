package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.stream.application.StreamShards;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.contract.DeviceItemCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** {@link StreamShards} on a source region's DynamoDB table and its stream. */
final class DynamoStreamShards implements StreamShards {
    private static final Logger log = LoggerFactory.getLogger(DynamoStreamShards.class);

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoStreamShards(DynamoDbClient dynamo, DynamoDbStreamsClient streams, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.streams = streams;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public Optional<String> latestStreamArn() {
        try {
            return Optional.ofNullable(
                    calls.call(AwsApi.DYNAMODB_DESCRIBE_TABLE, () -> dynamo.describeTable(r -> r.tableName(table)))
                            .table()
                            .latestStreamArn());
        } catch (ResourceNotFoundException noTableYet) {
            return Optional.empty();
        }
    }

    @Override
    public List<Shard> shards(String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            StreamDescription description = calls.call(
                            AwsApi.STREAMS_DESCRIBE_STREAM,
                            () -> streams.describeStream(
                                    r -> r.streamArn(streamArn).exclusiveStartShardId(from)))
                    .streamDescription();
            description
                    .shards()
                    .forEach(shard ->
                            shards.add(new Shard(shard.shardId(), Optional.ofNullable(shard.parentShardId()))));
            start = description.lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    @Override
    public String iterator(String streamArn, String shardId, Optional<String> checkpoint) {
        if (checkpoint.isPresent()) {
            try {
                return calls.call(
                                AwsApi.STREAMS_GET_SHARD_ITERATOR,
                                () -> streams.getShardIterator(r -> r.streamArn(streamArn)
                                        .shardId(shardId)
                                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                        .sequenceNumber(checkpoint.get())))
                        .shardIterator();
            } catch (TrimmedDataAccessException trimmed) {
                // Older than the stream's 24 h retention: read what is left; a re-sync covers the gap.
                log.warn(
                        "checkpoint {} of shard {} is trimmed; reading from the oldest record",
                        checkpoint.get(),
                        shardId);
            }
        }
        return calls.call(
                        AwsApi.STREAMS_GET_SHARD_ITERATOR,
                        () -> streams.getShardIterator(r -> r.streamArn(streamArn)
                                .shardId(shardId)
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                .shardIterator();
    }

    @Override
    public Batch read(String iterator, int limit) {
        GetRecordsResponse response = calls.call(
                AwsApi.STREAMS_GET_RECORDS,
                () -> streams.getRecords(r -> r.shardIterator(iterator).limit(limit)));
        List<StreamedRecord> records = response.records().stream()
                .map(record -> new StreamedRecord(
                        record.dynamodb().sequenceNumber(),
                        record.dynamodb().hasNewImage()
                                        && !record.dynamodb().newImage().isEmpty()
                                ? Optional.of(DeviceItemCodec.fromItem(
                                        record.dynamodb().newImage()))
                                : Optional.empty()))
                .toList();
        return new Batch(records, Optional.ofNullable(response.nextShardIterator()));
    }
}
