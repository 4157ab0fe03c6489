package dev.iotdr.deploy.fleet;

import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What reached telemetry ingest: each region's hot store (what ingest stored), and what was left in a region's
 * telemetry queue ({@code iotdr-telemetry}, fed by the region's topic rule) when its services stopped (the emulator
 * loses it with the region; SQS would keep it). Remembers each {@code thingName}/{@code messageId} once and counts
 * the copies beyond the first as duplicates. Work per queue read is a page of at most ten messages.
 */
public final class TelemetryWitness {
    public static final String QUEUE = "iotdr-telemetry";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RegionalAwsClients clients;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    /** What each region's hot store held when last read ({@code thingName/messageId}). */
    private final Map<Region, Set<String>> stored = new ConcurrentHashMap<>();
    /** Per region and device, the sequence numbers its hot store held when last read. */
    private final Map<Region, Map<String, Set<Long>>> storedSeqs = new ConcurrentHashMap<>();
    /** Per region and device, the sequence numbers read from its queue (what its ingest had not taken). */
    private final Map<Region, Map<String, Set<Long>>> queuedSeqs = new ConcurrentHashMap<>();

    public TelemetryWitness(RegionalAwsClients clients) {
        this.clients = clients;
    }

    /**
     * Reads every record of a region's hot store (telemetry ingest's table, {@code thingName}/{@code messageId}
     * keyed), page by page, remembering per region which messages it holds; reading again adds only what is new. The
     * same message in two regions' tables is the copy replication makes (stored once per region, deduplicated by
     * key), not a duplicate. The drill scans a table of its own fleet's size; the services never scan it.
     */
    public boolean readHotStore(Region region, String table, java.time.Instant deadline) {
        try {
            Map<String, AttributeValue> start = null;
            do {
                if (java.time.Instant.now().isAfter(deadline)) {
                    return false;
                }
                Map<String, AttributeValue> from = start;
                var page = clients.dynamoDb(region).scan(r -> {
                    r.tableName(table).consistentRead(true).projectionExpression("thingName, messageId, seq");
                    if (from != null) {
                        r.exclusiveStartKey(from);
                    }
                });
                for (Map<String, AttributeValue> item : page.items()) {
                    String thing = item.get("thingName").s();
                    String id = item.get("messageId").s();
                    if (stored.computeIfAbsent(region, key -> ConcurrentHashMap.newKeySet())
                            .add(thing + "/" + id)) {
                        storedSeqs
                                .computeIfAbsent(region, key -> new ConcurrentHashMap<>())
                                .computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet())
                                .add(Long.parseLong(item.get("seq").n()));
                        seen.computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet())
                                .add(id);
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
            return true;
        } catch (RuntimeException unreachable) {
            return false;
        }
    }

    /**
     * Whether the region's telemetry queue is empty (nothing waiting, nothing in flight): telemetry ingest has taken
     * everything. One attribute read, whatever the queue holds.
     */
    public boolean queueEmpty(Region region) {
        try {
            var sqs = clients.sqs(region);
            String url = sqs.getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
            Map<String, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNamesWithStrings(
                                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings();
            return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                    && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        } catch (RuntimeException unreachable) {
            return false;
        }
    }

    /** Receives one page (long-polling up to {@code wait}), records it and deletes it; the number of messages. */
    private int readOnce(Region region, String url, Duration wait) {
        List<Message> messages = clients.sqs(region)
                .receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds((int) wait.toSeconds()))
                .messages();
        if (messages.isEmpty()) {
            return 0;
        }
        for (Message message : messages) {
            record(region, message.body());
        }
        clients.sqs(region).deleteMessageBatch(r -> r.queueUrl(url)
                .entries(messages.stream()
                        .map(m -> DeleteMessageBatchRequestEntry.builder()
                                .id(m.messageId())
                                .receiptHandle(m.receiptHandle())
                                .build())
                        .toList()));
        return messages.size();
    }

    /**
     * Reads the region's queue until it answers empty {@code emptyAnswers} times in a row; false if unreachable, or if
     * it still held messages at {@code deadline} (an emulator reads a long queue slowly: a drill must end).
     */
    public boolean drain(Region region, int emptyAnswers, Duration wait, java.time.Instant deadline) {
        try {
            String url =
                    clients.sqs(region).getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
            int empty = 0;
            while (empty < emptyAnswers) {
                if (java.time.Instant.now().isAfter(deadline)) {
                    return false;
                }
                if (readOnce(region, url, wait) == 0) {
                    empty++;
                } else {
                    empty = 0;
                }
            }
            return true;
        } catch (RuntimeException unreachable) {
            return false;
        }
    }

    private void record(Region region, String body) {
        JsonNode message = JSON.readTree(body);
        String thing = message.path("thingName").asString();
        String id = message.path("messageId").asString();
        queuedSeqs
                .computeIfAbsent(region, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet())
                .add(message.path("seq").asLong());
        if (!seen.computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet()).add(id)) {
            duplicates.incrementAndGet();
        }
    }

    public long distinct() {
        return seen.values().stream().mapToLong(Set::size).sum();
    }

    /** Messages the hot store of {@code region} held and no other region's did, when last read. */
    public long onlyIn(Region region) {
        Set<String> elsewhere = new HashSet<>();
        stored.forEach((other, ids) -> {
            if (!other.equals(region)) {
                elsewhere.addAll(ids);
            }
        });
        return stored.getOrDefault(region, Set.of()).stream()
                .filter(id -> !elsewhere.contains(id))
                .count();
    }

    /** The sequence numbers of a device that {@code region}'s hot store held when last read. */
    public Set<Long> storedIn(Region region, String thing) {
        return new HashSet<>(storedSeqs.getOrDefault(region, Map.of()).getOrDefault(thing, Set.of()));
    }

    /** The sequence numbers of a device read from {@code region}'s queue. */
    public Set<Long> queuedIn(Region region, String thing) {
        return new HashSet<>(queuedSeqs.getOrDefault(region, Map.of()).getOrDefault(thing, Set.of()));
    }

    /** Messages read from {@code region}'s queue (left there by its ingest). */
    public long queued(Region region) {
        return queuedSeqs.getOrDefault(region, Map.of()).values().stream()
                .mapToLong(Set::size)
                .sum();
    }

    /** Messages read twice from the queues (what the witness itself read; ingest counts its own). */
    public long duplicates() {
        return duplicates.get();
    }
}
