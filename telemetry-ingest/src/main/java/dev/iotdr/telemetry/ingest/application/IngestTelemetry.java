package dev.iotdr.telemetry.ingest.application;

import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.telemetry.ingest.application.IngestEvents.Source;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import dev.iotdr.telemetry.ingest.domain.StoreOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Ingests telemetry from both inputs: each valid record is stored once (the store's key is {@code (thingName,
 * messageId)}, so an edge resend, an SQS redelivery or the other input's copy is counted as a duplicate, not
 * stored again); an invalid one is stored not at all. Records of one call are written concurrently.
 */
public final class IngestTelemetry {
    private static final Logger log = LoggerFactory.getLogger(IngestTelemetry.class);

    private final TelemetryParser parser;
    private final TelemetryStore store;
    private final DeadLetters deadLetters;
    private final IngestEvents events;
    private final Clock clock;
    private final int maxReceives;
    /** Store writes of this instance in flight at most (the AWS client's connection pool is 200, shared). */
    static final int WRITES_AT_ONCE = 64;

    private final java.util.concurrent.Semaphore writes = new java.util.concurrent.Semaphore(WRITES_AT_ONCE);

    /**
     * @param maxReceives how often a queue message is received before it is parked with the last failure's cause
     *     instead of being left for another redelivery
     */
    public IngestTelemetry(
            TelemetryParser parser,
            TelemetryStore store,
            DeadLetters deadLetters,
            IngestEvents events,
            Clock clock,
            int maxReceives) {
        if (maxReceives < 1) {
            throw new IllegalArgumentException("maxReceives must be at least 1, was " + maxReceives);
        }
        this.parser = parser;
        this.store = store;
        this.deadLetters = deadLetters;
        this.events = events;
        this.clock = clock;
        this.maxReceives = maxReceives;
    }

    /** A message from the telemetry queue and how often SQS has handed it out (this time included). */
    public record QueueMessage(String body, int receives) {}

    /** What became of a queue message; {@code done} messages may be deleted from the queue. */
    public enum QueueOutcome {
        STORED(true),
        DUPLICATE(true),
        /** Invalid, or failed on its last allowed receive: parked in the dead-letter queue with its reason. */
        PARKED(true),
        /** Not stored now: left in the queue, delivered again after a visibility timeout that grows per receive. */
        RETRY(false);

        private final boolean done;

        QueueOutcome(boolean done) {
            this.done = done;
        }

        public boolean done() {
            return done;
        }
    }

    /** Ingests a batch of queue messages; the outcomes are in the messages' order. */
    public List<QueueOutcome> fromQueue(List<QueueMessage> messages) {
        return concurrently(messages, this::fromQueue);
    }

    private QueueOutcome fromQueue(QueueMessage message) {
        TelemetryRecord record;
        try {
            record = parser.fromQueue(message.body(), clock.instant());
        } catch (InvalidTelemetry invalid) {
            events.rejected(Source.QUEUE, invalid.field());
            return park(message, invalid.field(), invalid.reason());
        }
        try {
            StoreOutcome outcome = store.store(record);
            events.stored(Source.QUEUE, outcome);
            return outcome == StoreOutcome.STORED ? QueueOutcome.STORED : QueueOutcome.DUPLICATE;
        } catch (DependencyUnavailableException unavailable) {
            // the store is down or throttling: not this message's fault, never a reason to park it; it comes back
            // after a growing visibility timeout (and, after an hour or so, to the queue's own redrive)
            events.failed(Source.QUEUE);
            log.debug(
                    "telemetry {} / {} not stored yet: {}",
                    record.thingName(),
                    record.messageId(),
                    unavailable.toString());
            return QueueOutcome.RETRY;
        } catch (RuntimeException failure) {
            // refused for itself (the store will not take this item): parked with the reason once it kept failing
            events.failed(Source.QUEUE);
            if (message.receives() >= maxReceives) {
                return park(
                        message,
                        "message",
                        "could not be stored after " + message.receives() + " receives: " + failure.getMessage());
            }
            log.debug(
                    "telemetry {} / {} not stored yet: {}", record.thingName(), record.messageId(), failure.toString());
            return QueueOutcome.RETRY;
        }
    }

    private QueueOutcome park(QueueMessage message, String field, String reason) {
        try {
            deadLetters.park(message.body(), field, reason, message.receives());
            return QueueOutcome.PARKED;
        } catch (RuntimeException unavailable) {
            // not parked: it stays in the queue (SQS's own redrive moves it after maxReceiveCount)
            log.warn("could not park an unstorable telemetry message ({}): {}", field, unavailable.toString());
            return QueueOutcome.RETRY;
        }
    }

    /** One record of a gateway's batch, as answered: stored, a duplicate, or failed (send it again). */
    public record BatchResult(int index, String thingName, String messageId, Optional<StoreOutcome> outcome) {}

    /**
     * Ingests a gateway's batch: every record is validated first and, if any is invalid, nothing is stored and the
     * first fault is thrown ({@link InvalidTelemetry} names {@code records[i].field}); otherwise each record is
     * stored once and answered on its own (a record the store could not take now is answered as failed).
     */
    public List<BatchResult> fromBatch(JsonNode records, String clientId) {
        var now = clock.instant();
        List<TelemetryRecord> valid = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                valid.add(parser.fromBatch(records.get(i), i, clientId, now));
            } catch (InvalidTelemetry invalid) {
                events.rejected(Source.BATCH, invalid.field());
                throw invalid;
            }
        }
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            indexes.add(i);
        }
        return concurrently(indexes, i -> {
            TelemetryRecord record = valid.get(i);
            Optional<StoreOutcome> outcome;
            try {
                outcome = Optional.of(store.store(record));
                events.stored(Source.BATCH, outcome.get());
            } catch (RuntimeException failure) {
                events.failed(Source.BATCH);
                log.debug("batch record {} not stored: {}", i, failure.toString());
                outcome = Optional.empty();
            }
            return new BatchResult(
                    i, record.thingName().value(), record.messageId().value(), outcome);
        });
    }

    /**
     * Runs {@code work} on every item at once, at most {@link #WRITES_AT_ONCE} writes of this instance at a time
     * (whatever the number of batches and queue polls in flight: the store's connections are shared).
     */
    private <T, R> List<R> concurrently(List<T> items, java.util.function.Function<T, R> work) {
        java.util.function.Function<T, R> bounded = item -> {
            try {
                writes.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to store telemetry", e);
            }
            try {
                return work.apply(item);
            } finally {
                writes.release();
            }
        };
        if (items.size() == 1) {
            return List.of(bounded.apply(items.get(0)));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> running = new ArrayList<>();
            for (T item : items) {
                running.add(threads.submit(() -> bounded.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> result : running) {
                results.add(result.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing telemetry", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("storing telemetry failed", e.getCause());
        }
    }
}
