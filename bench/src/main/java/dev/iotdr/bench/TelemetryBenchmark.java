package dev.iotdr.bench;

import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.FleetQueues;
import dev.iotdr.shared.contract.TelemetryTable;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Telemetry ingest's throughput and the hot store's copy between regions, against the running local stack.
 *
 * <ul>
 *   <li><b>baseline: raw {@code BatchWriteItem}</b>: {@code --records} items of the hot store's shape written to a
 *       scratch table on the same region's emulator, 25 per call, {@code --concurrency} calls at a time: the floor
 *       of what any ingest can reach on this emulator.
 *   <li><b>HTTP batches</b>: the same number of records through {@code POST /v1/telemetry/batches} (through the
 *       region's api load balancer), {@code --batch} records a request, {@code --concurrency} requests at a time;
 *       counted when every record's answer is {@code stored}.
 *   <li><b>the queue</b>: the same number of messages as the topic rule sends them, put on the region's telemetry
 *       queue in batches of ten, timed from the first send until ingest has taken the queue to empty (nothing
 *       waiting, nothing in flight).
 *   <li><b>hot-store copy lag</b>: {@code --lag-samples} records sent one at a time through the HTTP batch in the
 *       first region; per record, from its {@code stored} answer until the other region's table holds it.
 * </ul>
 *
 * <p>Usage: {@code ./drctl bench telemetry [--records N] [--batch B] [--concurrency C] [--lag-samples K]}.
 */
public final class TelemetryBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int DEVICES = 50;

    private TelemetryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(option(args, "--records", "2000"));
        int batch = Integer.parseInt(option(args, "--batch", "100"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "4"));
        int lagSamples = Integer.parseInt(option(args, "--lag-samples", "50"));
        LocalStackState stack = LocalStackState.read(Path.of(option(args, "--state-dir", ".drctl")));
        List<String> codes = new ArrayList<>(stack.regions().keySet());
        Region from = Region.of(codes.get(0));
        Region to = Region.of(codes.get(1));
        Map<Region, URI> endpoints = new HashMap<>();
        stack.regions()
                .forEach((code, node) -> endpoints.put(
                        Region.of(code), URI.create(node.get("emulator").asString())));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String token = LocalStackTokens.token(stack.secret("jwt-secret"), "telemetry:write telemetry:read");
        URI telemetry = stack.url(from.code(), "telemetry");
        System.out.printf(
                "telemetry benchmark: %d records (%d devices), HTTP batches of %d, %d at a time, in %s; copy to %s;"
                        + " run %s%n",
                records, DEVICES, batch, concurrency, from, to, run);

        try (RegionalAwsClients clients =
                new RegionalAwsClients(AwsClientSettings.emulated(endpoints, stack.globalEmulator()))) {
            double baseline = rawBatchWrites(clients.dynamoDb(from), records, concurrency, run);
            System.out.printf("baseline: raw BatchWriteItem      %8.1f records/s%n", baseline);
            double http = httpBatches(telemetry, token, records, batch, concurrency, run);
            System.out.printf(
                    "HTTP batches                      %8.1f records/s (%.2f of the baseline)%n",
                    http, http / baseline);
            double queue = throughQueue(clients.sqs(from), records, run);
            System.out.printf(
                    "the queue                         %8.1f records/s (%.2f of the baseline)%n",
                    queue, queue / baseline);
            List<Long> lags = copyLag(telemetry, token, clients.dynamoDb(to), lagSamples, run);
            long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    "hot-store copy %s -> %s: p50 %d ms, p99 %d ms, max %d ms (%d of %d samples arrived in 60 s)%n",
                    from,
                    to,
                    LatencySummary.percentile(sorted, 50),
                    LatencySummary.percentile(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                    sorted.length,
                    lagSamples);
        }
    }

    private static double rawBatchWrites(DynamoDbClient dynamo, int records, int concurrency, String run)
            throws Exception {
        String table = "bench-telemetry-" + run;
        dynamo.createTable(r -> r.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName("thingName")
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName("messageId")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName("thingName")
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName("messageId")
                                .keyType(KeyType.RANGE)
                                .build()));
        try {
            List<List<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < records; i += 25) {
                calls.add(IntStream.range(i, Math.min(records, i + 25)).boxed().toList());
            }
            long started = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
                List<Future<?>> work = new ArrayList<>();
                for (List<Integer> call : calls) {
                    work.add(pool.submit(() -> {
                        Map<String, List<WriteRequest>> unprocessed = Map.of(
                                table,
                                call.stream()
                                        .map(n -> WriteRequest.builder()
                                                .putRequest(PutRequest.builder()
                                                        .item(item(run, "raw", n))
                                                        .build())
                                                .build())
                                        .toList());
                        while (!unprocessed.isEmpty()) {
                            Map<String, List<WriteRequest>> pending = unprocessed;
                            unprocessed = dynamo.batchWriteItem(r -> r.requestItems(pending))
                                    .unprocessedItems();
                        }
                    }));
                }
                for (Future<?> done : work) {
                    done.get();
                }
            }
            return records / seconds(started);
        } finally {
            dynamo.deleteTable(r -> r.tableName(table));
        }
    }

    /** An item as the hot store keeps one (the attributes ingest writes). */
    private static Map<String, AttributeValue> item(String run, String input, int n) {
        long now = System.currentTimeMillis();
        return Map.of(
                "thingName", AttributeValue.fromS(thing(run, n)),
                "messageId", AttributeValue.fromS(input + "-" + n),
                "seq", AttributeValue.fromN(Integer.toString(n)),
                "ts", AttributeValue.fromN(Long.toString(now)),
                "metrics", AttributeValue.fromM(metricsItem(n)),
                "clientId", AttributeValue.fromS(thing(run, n)),
                "receivedAt", AttributeValue.fromN(Long.toString(now)),
                "ingestedIn", AttributeValue.fromS("bench"),
                "ingestedAt", AttributeValue.fromN(Long.toString(now)),
                "expiresAt", AttributeValue.fromN(Long.toString(now / 1000 + 86_400)));
    }

    private static Map<String, AttributeValue> metricsItem(int n) {
        return Map.of(
                "temp", AttributeValue.fromN(String.format("%.2f", 20 + (n % 70) / 10.0)),
                "humidity", AttributeValue.fromN(Integer.toString(40 + n % 20)),
                "battery", AttributeValue.fromN(String.format("%.3f", 3.7 - (n % 100) / 1000.0)));
    }

    private static String thing(String run, int n) {
        return "bench-tel-" + run + "-" + (n % DEVICES);
    }

    private static ObjectNode record(String run, String input, int n) {
        ObjectNode record = JSON.createObjectNode();
        record.put("thingName", thing(run, n));
        record.put("messageId", input + "-" + n);
        record.put("seq", n);
        record.put("ts", System.currentTimeMillis());
        ObjectNode metrics = record.putObject("metrics");
        metrics.put("temp", new java.math.BigDecimal(String.format("%.2f", 20 + (n % 70) / 10.0)));
        metrics.put("humidity", 40 + n % 20);
        metrics.put("battery", new java.math.BigDecimal(String.format("%.3f", 3.7 - (n % 100) / 1000.0)));
        return record;
    }

    private static double httpBatches(URI telemetry, String token, int records, int batch, int concurrency, String run)
            throws Exception {
        AtomicInteger notStored = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> work = new ArrayList<>();
            for (int first = 0; first < records; first += batch) {
                int from = first;
                int until = Math.min(records, first + batch);
                work.add(pool.submit(() -> {
                    ObjectNode body = JSON.createObjectNode();
                    ArrayNode list = body.putArray("records");
                    for (int n = from; n < until; n++) {
                        list.add(record(run, "http", n));
                    }
                    JsonNode answer = post(telemetry, token, body);
                    for (JsonNode result : answer.get("records")) {
                        if (!"stored".equals(result.get("outcome").asString())) {
                            notStored.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        }
        double rate = records / seconds(started);
        if (notStored.get() > 0) {
            System.out.printf("  (%d records not answered stored)%n", notStored.get());
        }
        return rate;
    }

    private static double throughQueue(SqsClient sqs, int records, String run) throws InterruptedException {
        String url = sqs.getQueueUrl(r -> r.queueName(FleetQueues.TELEMETRY)).queueUrl();
        long started = System.nanoTime();
        for (int first = 0; first < records; first += 10) {
            int from = first;
            List<SendMessageBatchRequestEntry> entries = IntStream.range(from, Math.min(records, from + 10))
                    .mapToObj(n -> {
                        ObjectNode message = record(run, "queue", n);
                        message.put("clientId", thing(run, n)); // what the topic rule adds
                        message.put("receivedAt", System.currentTimeMillis());
                        return SendMessageBatchRequestEntry.builder()
                                .id("m" + (n - from))
                                .messageBody(message.toString())
                                .build();
                    })
                    .toList();
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            Map<String, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNamesWithStrings(
                                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings();
            if ("0".equals(counts.get("ApproximateNumberOfMessages"))
                    && "0".equals(counts.get("ApproximateNumberOfMessagesNotVisible"))) {
                return records / seconds(started);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ingest did not empty the queue within 10 minutes");
    }

    private static List<Long> copyLag(URI telemetry, String token, DynamoDbClient target, int samples, String run)
            throws Exception {
        List<Long> lags = new ArrayList<>();
        for (int n = 0; n < samples; n++) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("records").add(record(run, "lag", n));
            post(telemetry, token, body);
            long stored = System.nanoTime();
            Map<String, AttributeValue> key = Map.of(
                    "thingName", AttributeValue.fromS(thing(run, n)),
                    "messageId", AttributeValue.fromS("lag-" + n));
            while (System.nanoTime() - stored < Duration.ofSeconds(60).toNanos()) {
                var item = target.getItem(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
                                .key(key)
                                .consistentRead(true))
                        .item();
                if (item != null && !item.isEmpty()) {
                    lags.add((System.nanoTime() - stored) / 1_000_000);
                    break;
                }
                Thread.sleep(20);
            }
        }
        return lags;
    }

    private static JsonNode post(URI telemetry, String token, JsonNode body) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(telemetry.resolve("/v1/telemetry/batches"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(
                    "POST /v1/telemetry/batches answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private static double seconds(long startedNanos) {
        return Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
