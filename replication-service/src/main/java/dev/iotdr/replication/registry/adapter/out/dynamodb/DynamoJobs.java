package dev.iotdr.replication.registry.adapter.out.dynamodb;

import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.PK;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.TTL;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.n;
import static dev.iotdr.replication.registry.adapter.out.dynamodb.ReplicationStateTable.s;

import dev.iotdr.replication.registry.application.Jobs;
import dev.iotdr.replication.registry.domain.Drift;
import dev.iotdr.replication.registry.domain.DriftKind;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.JobPhase;
import dev.iotdr.replication.registry.domain.JobState;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link Jobs} in this region's replication-coordination table: one item per job in the {@code jobs} partition,
 * sorted by id (ids start with the creation time), kept 7 days after they finish (layout:
 * {@link ReplicationStateTable}).
 */
final class DynamoJobs implements Jobs {
    private static final String PARTITION = "jobs";
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoJobs(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public Job create(Job job) {
        Job stored = job.atRevision(1);
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(encode(stored))
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
        } catch (ConditionalCheckFailedException exists) {
            throw new StaleJobException("job " + job.id() + " exists", exists);
        }
        return stored;
    }

    @Override
    public Optional<Job> find(String id) {
        var response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r -> r.tableName(table)
                        .key(ReplicationStateTable.key(PARTITION, id))
                        .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(decode(response.item()))
                : Optional.empty();
    }

    @Override
    public Job save(Job job) {
        Job stored = job.atRevision(job.revision() + 1);
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(encode(stored))
                            .conditionExpression("#revision = :revision")
                            .expressionAttributeNames(Map.of("#revision", "revision"))
                            .expressionAttributeValues(Map.of(":revision", n(job.revision())))));
        } catch (ConditionalCheckFailedException raced) {
            throw new StaleJobException("job " + job.id() + " was saved by another worker", raced);
        }
        return stored;
    }

    @Override
    public List<Job> recent(int limit) {
        var response = calls.call(
                AwsApi.DYNAMODB_QUERY,
                () -> dynamo.query(r -> r.tableName(table)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                        .scanIndexForward(false)
                        .limit(limit)));
        return response.items().stream().map(DynamoJobs::decode).toList();
    }

    @Override
    public List<Job> running() {
        List<Job> running = new ArrayList<>();
        DynamoQueries.forEach(
                dynamo,
                calls,
                r -> r.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .filterExpression("#state = :running")
                        .expressionAttributeNames(Map.of("#pk", PK, "#state", "state"))
                        .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":running", s(JobState.RUNNING.name()))),
                item -> running.add(decode(item)));
        return running;
    }

    static Map<String, AttributeValue> encode(Job job) {
        Map<String, AttributeValue> item = new HashMap<>(ReplicationStateTable.key(PARTITION, job.id()));
        item.put("id", s(job.id()));
        item.put("kind", s(job.kind().name()));
        item.put("state", s(job.state().name()));
        item.put(
                "phases",
                AttributeValue.fromL(job.phases().stream().map(p -> s(p.code())).toList()));
        item.put("phase", n(job.phase()));
        item.put(
                "segments",
                AttributeValue.fromL(job.segments().stream()
                        .map(segment -> {
                            Map<String, AttributeValue> m = new HashMap<>();
                            m.put("index", n(segment.index()));
                            segment.after().ifPresent(after -> m.put("after", s(after)));
                            m.put("done", AttributeValue.fromBool(segment.done()));
                            return AttributeValue.fromM(m);
                        })
                        .toList()));
        Job.Counts c = job.counts();
        item.put(
                "counts",
                AttributeValue.fromM(Map.of(
                        "scanned", n(c.scanned()),
                        "copied", n(c.copied()),
                        "applied", n(c.applied()),
                        "failed", n(c.failed()),
                        "drift", n(c.drift()),
                        "repaired", n(c.repaired()))));
        Map<String, AttributeValue> byKind = new HashMap<>();
        job.driftByKind().forEach((kind, count) -> byKind.put(kind.name(), n(count)));
        item.put("driftByKind", AttributeValue.fromM(byKind));
        item.put(
                "driftSample",
                AttributeValue.fromL(job.driftSample().stream()
                        .map(d -> AttributeValue.fromM(Map.of(
                                "deviceId", s(d.deviceId()), "kind", s(d.kind().name()), "detail", s(d.detail()))))
                        .toList()));
        job.owner().ifPresent(owner -> item.put("owner", s(owner)));
        item.put("leaseUntil", n(job.leaseUntil().toEpochMilli()));
        item.put("revision", n(job.revision()));
        item.put("createdAt", n(job.createdAt().toEpochMilli()));
        item.put("updatedAt", n(job.updatedAt().toEpochMilli()));
        job.finishedAt().ifPresent(at -> {
            item.put("finishedAt", n(at.toEpochMilli()));
            item.put(TTL, n(at.plus(KEEP_FINISHED).getEpochSecond()));
        });
        job.error().ifPresent(error -> item.put("error", s(error.length() > 2000 ? error.substring(0, 2000) : error)));
        return item;
    }

    static Job decode(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> c = item.get("counts").m();
        Map<DriftKind, Long> byKind = new EnumMap<>(DriftKind.class);
        item.get("driftByKind").m().forEach((kind, count) -> byKind.put(DriftKind.valueOf(kind), number(count)));
        return new Job(
                item.get("id").s(),
                JobKind.valueOf(item.get("kind").s()),
                JobState.valueOf(item.get("state").s()),
                item.get("phases").l().stream().map(p -> JobPhase.parse(p.s())).toList(),
                (int) number(item.get("phase")),
                item.get("segments").l().stream()
                        .map(AttributeValue::m)
                        .map(m -> new Job.Segment(
                                (int) number(m.get("index")),
                                Optional.ofNullable(m.get("after")).map(AttributeValue::s),
                                m.get("done").bool()))
                        .toList(),
                new Job.Counts(
                        number(c.get("scanned")),
                        number(c.get("copied")),
                        number(c.get("applied")),
                        number(c.get("failed")),
                        number(c.get("drift")),
                        number(c.get("repaired"))),
                byKind,
                item.get("driftSample").l().stream()
                        .map(AttributeValue::m)
                        .map(m -> new Drift(
                                m.get("deviceId").s(),
                                DriftKind.valueOf(m.get("kind").s()),
                                m.get("detail").s()))
                        .toList(),
                Optional.ofNullable(item.get("owner")).map(AttributeValue::s),
                instant(item.get("leaseUntil")),
                number(item.get("revision")),
                instant(item.get("createdAt")),
                instant(item.get("updatedAt")),
                Optional.ofNullable(item.get("finishedAt")).map(DynamoJobs::instant),
                Optional.ofNullable(item.get("error")).map(AttributeValue::s));
    }

    private static long number(AttributeValue value) {
        return Long.parseLong(value.n());
    }

    private static Instant instant(AttributeValue value) {
        return Instant.ofEpochMilli(number(value));
    }
}
