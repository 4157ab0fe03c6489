package dev.iotdr.telemetry.ingest.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueMessage;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueOutcome;
import dev.iotdr.telemetry.ingest.domain.StoreOutcome;
import dev.iotdr.telemetry.ingest.domain.TelemetryLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Whatever order, duplication and input the messages arrive in (edge resends, SQS redeliveries, a gateway's batch
 * carrying what the queue also carried, a store that fails now and then), every valid {@code (thingName,
 * messageId)} ends up stored exactly once, duplicates are counted, and nothing invalid is stored.
 */
class IngestDedupePropertyTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One arrival: which message (device, id), by which input, and whether it is corrupted on the way. */
    record Arrival(int device, int message, boolean batch, boolean invalid) {}

    @Test
    void everyValidMessageIsStoredOnceWhateverArrivesHowOften() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, 63)).ofSizeBetween(1, 120), longs().all())
                .checkAssert(this::storedOnce);
    }

    private void storedOnce(List<Integer> codes, long seed) {
        Random random = new Random(seed);
        List<Arrival> arrivals = new ArrayList<>();
        for (int code : codes) {
            arrivals.add(new Arrival(code % 4, (code / 4) % 8, random.nextBoolean(), random.nextInt(10) == 0));
        }
        FlakyStore store = new FlakyStore(random);
        AtomicInteger parked = new AtomicInteger();
        IngestTelemetry ingest = new IngestTelemetry(
                new TelemetryParser(
                        new TelemetryLimits(8192, 64, 64, 256, Duration.ofMinutes(5), Duration.ofDays(7)),
                        Region.of("us-east-1")),
                store,
                (body, field, reason, receives) -> parked.incrementAndGet(),
                IngestEvents.NONE,
                Clock.fixed(NOW, ZoneOffset.UTC),
                1_000);

        Set<String> validKeys = new HashSet<>();
        int validArrivals = 0;
        List<Arrival> pending = new ArrayList<>(arrivals);
        Map<Arrival, Integer> receives = new HashMap<>();
        int rounds = 0;
        while (!pending.isEmpty()) {
            assertThat(rounds++)
                    .as("a store that fails a third of the time is got past")
                    .isLessThan(200);
            List<Arrival> again = new ArrayList<>();
            // arrivals go in small groups, queue messages and gateway batches mixed, as the two inputs do
            for (int from = 0; from < pending.size(); from += 5) {
                List<Arrival> group = pending.subList(from, Math.min(pending.size(), from + 5));
                for (Arrival arrival : group) {
                    receives.merge(arrival, 1, Integer::sum);
                }
                List<Arrival> viaQueue =
                        group.stream().filter(a -> !a.batch() || a.invalid()).toList();
                List<Arrival> viaBatch =
                        group.stream().filter(a -> a.batch() && !a.invalid()).toList();
                List<QueueOutcome> outcomes = ingest.fromQueue(viaQueue.stream()
                        .map(a -> new QueueMessage(body(a), receives.get(a)))
                        .toList());
                for (int i = 0; i < viaQueue.size(); i++) {
                    if (!outcomes.get(i).done()) {
                        again.add(viaQueue.get(i)); // SQS delivers it again
                    }
                }
                if (!viaBatch.isEmpty()) {
                    ArrayNode records = JSON.createArrayNode();
                    viaBatch.forEach(a -> records.add(JSON.readTree(record(a))));
                    var results = ingest.fromBatch(records, "gateway");
                    for (int i = 0; i < viaBatch.size(); i++) {
                        if (results.get(i).outcome().isEmpty()) {
                            again.add(viaBatch.get(i)); // the gateway sends that record again
                        }
                    }
                }
            }
            pending = again;
        }
        for (Arrival arrival : arrivals) {
            if (!arrival.invalid()) {
                validKeys.add(key(arrival));
                validArrivals++;
            }
        }

        assertThat(store.writes).as("each valid key written once").hasSameSizeAs(store.rows.keySet());
        assertThat(store.rows.keySet()).isEqualTo(validKeys);
        assertThat(store.duplicates.get()).isEqualTo(validArrivals - validKeys.size());
        assertThat(parked.get())
                .isEqualTo((int) arrivals.stream().filter(Arrival::invalid).count());
    }

    private static String key(Arrival a) {
        return "device-" + a.device() + "/m-" + a.message();
    }

    private static String record(Arrival a) {
        return "{\"thingName\":\"device-" + a.device() + "\",\"messageId\":\"m-" + a.message() + "\",\"seq\":"
                + a.message() + ",\"ts\":" + NOW.minusSeconds(60 - a.message()).toEpochMilli()
                + ",\"metrics\":{\"v\":" + a.message() + "}}";
    }

    private static String body(Arrival a) {
        String record = record(a);
        if (a.invalid()) {
            return record.replace("\"metrics\":{", "\"metrics\":{\"bad\":[1],"); // a list metric: never stored
        }
        return record.substring(0, record.length() - 1) + ",\"clientId\":\"device-" + a.device() + "\",\"receivedAt\":"
                + NOW.toEpochMilli() + "}";
    }

    /** A store keyed like the hot store that fails a third of its writes before writing anything. */
    private static final class FlakyStore implements TelemetryStore {
        final Map<String, TelemetryRecord> rows = new ConcurrentHashMap<>();
        final List<String> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger duplicates = new AtomicInteger();
        private final Random random;

        FlakyStore(Random random) {
            this.random = new Random(random.nextLong());
        }

        @Override
        public StoreOutcome store(TelemetryRecord record) {
            boolean fail;
            synchronized (random) {
                fail = random.nextInt(3) == 0;
            }
            if (fail) {
                throw new IllegalStateException("throttled");
            }
            String key = record.thingName() + "/" + record.messageId();
            if (rows.putIfAbsent(key, record) == null) {
                writes.add(key);
                return StoreOutcome.STORED;
            }
            duplicates.incrementAndGet();
            return StoreOutcome.DUPLICATE;
        }
    }
}
