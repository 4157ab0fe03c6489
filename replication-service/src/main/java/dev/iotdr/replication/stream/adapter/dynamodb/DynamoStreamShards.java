package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.stream.application.StreamShards;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@link StreamShards} on a source region's DynamoDB table and its stream; {@code decode} turns a record's new image
 * into what the sink takes, and {@code writtenAt} says when an image was written where the stream does not.
 */
final class DynamoStreamShards<T> implements StreamShards<T> {
    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final GuardedAwsCalls calls;
    private final String table;
    private final Function<Map<String, AttributeValue>, T> decode;
    private final Function<T, Optional<Instant>> writtenAt;

    DynamoStreamShards(
            DynamoDbClient dynamo,
            DynamoDbStreamsClient streams,
            GuardedAwsCalls calls,
            String table,
            Function<Map<String, AttributeValue>, T> decode,
            Function<T, Optional<Instant>> writtenAt) {
        this.dynamo = dynamo;
        this.streams = streams;
        this.calls = calls;
        this.table = table;
        this.decode = decode;
        this.writtenAt = writtenAt;
    }

    /** The device table's stream: images are device records, written at their {@code updatedAt}. */
    static DynamoStreamShards<DeviceRecord> devices(
            DynamoDbClient dynamo, DynamoDbStreamsClient streams, GuardedAwsCalls calls, String table) {
        return new DynamoStreamShards<>(
                dynamo, streams, calls, table, DeviceItemCodec::fromItem, record -> Optional.of(record.updatedAt()));
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
            StreamDescription description;
            try {
                description = calls.call(
                                AwsApi.STREAMS_DESCRIBE_STREAM,
                                () -> streams.describeStream(
                                        r -> r.streamArn(streamArn).exclusiveStartShardId(from)))
                        .streamDescription();
            } catch (ResourceNotFoundException gone) {
                // The source's stream, not this region's tables: never a reason to heal this region.
                throw new ShardGoneException("stream " + streamArn + " is gone", gone);
            }
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
        if (checkpoint.isEmpty()) {
            return oldestIterator(streamArn, shardId);
        }
        try {
            return calls.call(
                            AwsApi.STREAMS_GET_SHARD_ITERATOR,
                            () -> streams.getShardIterator(r -> r.streamArn(streamArn)
                                    .shardId(shardId)
                                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                    .sequenceNumber(checkpoint.get())))
                    .shardIterator();
        } catch (TrimmedDataAccessException trimmed) {
            throw new CheckpointTrimmedException(
                    "checkpoint " + checkpoint.get() + " of shard " + shardId + " is past the stream's retention",
                    trimmed);
        } catch (ResourceNotFoundException gone) {
            throw new ShardGoneException("shard " + shardId + " of " + streamArn + " is gone", gone);
        }
    }

    @Override
    public String oldestIterator(String streamArn, String shardId) {
        try {
            return calls.call(
                            AwsApi.STREAMS_GET_SHARD_ITERATOR,
                            () -> streams.getShardIterator(r -> r.streamArn(streamArn)
                                    .shardId(shardId)
                                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                    .shardIterator();
        } catch (ResourceNotFoundException gone) {
            throw new ShardGoneException("shard " + shardId + " of " + streamArn + " is gone", gone);
        }
    }

    @Override
    public Batch<T> read(String iterator, int limit) {
        GetRecordsResponse response;
        try {
            response = calls.call(
                    AwsApi.STREAMS_GET_RECORDS,
                    () -> streams.getRecords(r -> r.shardIterator(iterator).limit(limit)));
        } catch (ExpiredIteratorException expired) {
            throw new IteratorExpiredException("shard iterator expired", expired);
        } catch (ResourceNotFoundException gone) {
            throw new ShardGoneException("the shard of an iterator is gone", gone);
        } catch (TrimmedDataAccessException trimmed) {
            throw new IteratorExpiredException("the iterator points past the stream's retention", trimmed);
        }
        List<StreamedRecord<T>> records = new ArrayList<>();
        for (Record record : response.records()) {
            Optional<T> image = record.dynamodb().hasNewImage()
                            && !record.dynamodb().newImage().isEmpty()
                    ? Optional.of(decode.apply(record.dynamodb().newImage()))
                    : Optional.empty();
            // The stream's own write time; the image's (origin's clock) only if the stream has none.
            Instant createdAt = Optional.ofNullable(record.dynamodb().approximateCreationDateTime())
                    .or(() -> image.flatMap(writtenAt))
                    .orElse(Instant.EPOCH);
            records.add(new StreamedRecord<>(record.dynamodb().sequenceNumber(), createdAt, image));
        }
        return new Batch<>(records, Optional.ofNullable(response.nextShardIterator()));
    }
}
