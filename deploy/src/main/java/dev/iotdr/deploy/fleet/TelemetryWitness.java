package dev.iotdr.deploy.fleet;

import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What reached each region's telemetry queue ({@code iotdr-telemetry}, fed by the region's topic rule): reads and
 * deletes every message (the drill's stand-in for telemetry ingest, which does not exist yet), remembering each
 * {@code thingName}/{@code messageId} once and counting the copies beyond the first as duplicates. Work per read is
 * a page of at most ten messages.
 */
public final class TelemetryWitness {
    public static final String QUEUE = "iotdr-telemetry";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RegionalAwsClients clients;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> seqs = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    public TelemetryWitness(RegionalAwsClients clients) {
        this.clients = clients;
    }

    /**
     * Reads the region's queue continuously (long polls of a second) on a thread of its own until the returned handle
     * is closed, as the queue's consumer would. (On moto as it ships, a queue left to fill made every send to it slower:
     * each send counted the whole queue three times; the local stack's emulator wrapper no longer does.)
     */
    public Following follow(Region region) {
        String url = clients.sqs(region).getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = Thread.ofPlatform()
                .daemon()
                .name("telemetry-witness-" + region.code())
                .start(() -> {
                    while (running.get()) {
                        try {
                            readOnce(region, url, Duration.ofSeconds(1));
                        } catch (RuntimeException e) {
                            try {
                                Thread.sleep(1_000); // drain() reads what is left; a failure here loses nothing
                            } catch (InterruptedException stop) {
                                return;
                            }
                        }
                    }
                });
        return new Following(running, reader);
    }

    /** A queue being followed; closing it waits for the read in progress (so no read overlaps a drain). */
    public record Following(AtomicBoolean running, Thread reader) implements AutoCloseable {
        @Override
        public void close() {
            running.set(false);
            try {
                reader.join(Duration.ofSeconds(30)); // a long poll is a second; past 30 s the emulator is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
            record(message.body());
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

    private void record(String body) {
        JsonNode message = JSON.readTree(body);
        String thing = message.path("thingName").asString();
        String id = message.path("messageId").asString();
        received.incrementAndGet();
        seqs.computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet())
                .add(message.path("seq").asLong());
        if (!seen.computeIfAbsent(thing, key -> ConcurrentHashMap.newKeySet()).add(id)) {
            duplicates.incrementAndGet();
        }
    }

    /** The message ids seen from a device. */
    public Set<String> seen(String thing) {
        return new HashSet<>(seen.getOrDefault(thing, Set.of()));
    }

    /** The sequence numbers seen from a device (each message's {@code seq}, unique per device). */
    public Set<Long> seqs(String thing) {
        return new HashSet<>(seqs.getOrDefault(thing, Set.of()));
    }

    public long distinct() {
        return seen.values().stream().mapToLong(Set::size).sum();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long received() {
        return received.get();
    }
}
