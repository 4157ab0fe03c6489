package dev.iotdr.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.iotdr.deploy.localcloud.SharedLocalCloud;
import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.telemetry.support.LocalCloudProperties;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Telemetry ingest against the local cloud: both inputs, dedupe, validation, dead letters, the read API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TelemetryIngestIntegrationTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TABLE = "telemetry-" + RUN;
    private static final String QUEUE = "telemetry-it-" + RUN;
    private static final Region REGION = Region.of(LocalCloudProperties.REGION);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void localCloud(DynamicPropertyRegistry registry) {
        LocalCloudProperties.register(registry, SharedLocalCloud.cloud(), TABLE, QUEUE);
    }

    @LocalServerPort
    int port;

    private final RegionalAwsClients clients = SharedLocalCloud.clients();

    private static long ts(int secondsAgo) {
        return Instant.now().minusSeconds(secondsAgo).toEpochMilli();
    }

    private static String ruleMessage(String thing, String id, long seq, long ts) {
        return "{\"messageId\":\"" + id + "\",\"seq\":" + seq + ",\"ts\":" + ts + ",\"metrics\":{\"temp\":21.5}"
                + ",\"thingName\":\"" + thing + "\",\"clientId\":\"" + thing + "\",\"receivedAt\":"
                + Instant.now().toEpochMilli() + "}";
    }

    private SqsClient sqs() {
        return clients.sqs(REGION);
    }

    private String url(String queue) {
        return sqs().getQueueUrl(r -> r.queueName(queue)).queueUrl();
    }

    private List<Map<String, AttributeValue>> stored(String thing) {
        return clients.dynamoDb(REGION)
                .query(r -> r.tableName(TABLE)
                        .keyConditionExpression("thingName = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(thing)))
                        .consistentRead(true))
                .items();
    }

    private HttpResponse<String> post(String scope, byte[] body, String encoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/telemetry/batches"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalStackTokens.token(LocalCloudProperties.SECRET, scope))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String scope, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + LocalStackTokens.token(LocalCloudProperties.SECRET, scope))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageTheQueueDeliversTwiceIsStoredOnceAndDeletedFromTheQueue() {
        String thing = "queue-" + RUN;
        String message = ruleMessage(thing, "m-1", 1, ts(10));
        sqs().sendMessage(r -> r.queueUrl(url(QUEUE)).messageBody(message));
        sqs().sendMessage(r -> r.queueUrl(url(QUEUE)).messageBody(message)); // an edge resend

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(stored(thing)).hasSize(1));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(queueDepth(QUEUE)).isZero());
        assertThat(stored(thing).get(0).get("metrics").m().get("temp").n()).isEqualTo("21.5");
        assertThat(stored(thing)).hasSize(1);
    }

    @Test
    void anInvalidQueueMessageIsParkedWithItsReasonAndNothingIsStored() {
        String thing = "invalid-" + RUN;
        String message = ruleMessage(thing, "m-1", 1, ts(10)).replace("\"temp\":21.5", "\"temp\":{\"c\":1}");
        sqs().sendMessage(r -> r.queueUrl(url(QUEUE)).messageBody(message));

        List<Message> parked = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            parked.addAll(sqs().receiveMessage(r -> r.queueUrl(url(QUEUE + "-dlq"))
                            .messageAttributeNames("All")
                            .maxNumberOfMessages(10))
                    .messages());
            assertThat(parked).anySatisfy(m -> assertThat(m.body()).isEqualTo(message));
        });
        Message mine = parked.stream()
                .filter(m -> m.body().equals(message))
                .findFirst()
                .orElseThrow();
        assertThat(mine.messageAttributes().get("iotdr-field").stringValue()).isEqualTo("metrics.temp");
        assertThat(mine.messageAttributes().get("iotdr-reason").stringValue()).contains("number or a string");
        assertThat(stored(thing)).isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(queueDepth(QUEUE)).isZero());
    }

    private int queueDepth(String queue) {
        Map<String, String> attributes = sqs().getQueueAttributes(r -> r.queueUrl(url(queue))
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return Integer.parseInt(attributes.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private static byte[] batch(String thing, int from, int count) {
        StringBuilder records = new StringBuilder("{\"records\":[");
        for (int i = from; i < from + count; i++) {
            if (i > from) {
                records.append(',');
            }
            records.append("{\"thingName\":\"")
                    .append(thing)
                    .append("\",\"messageId\":\"b-")
                    .append(i)
                    .append("\",\"seq\":")
                    .append(i)
                    .append(",\"ts\":")
                    .append(ts(100 - i))
                    .append(",\"metrics\":{\"i\":")
                    .append(i)
                    .append("}}");
        }
        return records.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    @Test
    void aGzippedBatchIsStoredOnceHoweverOftenItIsSentAndTheQueueCopyIsADuplicate() throws Exception {
        String thing = "batch-" + RUN;
        HttpResponse<String> first = post("telemetry:write", gzip(batch(thing, 0, 20)), "gzip");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("stored").asInt()).isEqualTo(20);

        HttpResponse<String> again = post("telemetry:write", batch(thing, 10, 20), null);
        JsonNode answer = JSON.readTree(again.body());
        assertThat(answer.get("stored").asInt()).isEqualTo(10);
        assertThat(answer.get("duplicates").asInt()).isEqualTo(10);
        assertThat(answer.get("records").get(0).get("outcome").asString()).isEqualTo("duplicate");
        assertThat(answer.get("records").get(19).get("outcome").asString()).isEqualTo("stored");

        // the same message through the topic rule's queue: already stored, counted as the queue's duplicate
        double before = queueDuplicates();
        sqs().sendMessage(r -> r.queueUrl(url(QUEUE)).messageBody(ruleMessage(thing, "b-5", 5, ts(95))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(queueDuplicates() - before).isEqualTo(1.0));
        // deleted once answered (acknowledgements go in batches, a moment later)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(queueDepth(QUEUE)).isZero());
        assertThat(stored(thing)).hasSize(30);
    }

    /** {@code iotdr_telemetry_records_total{source="queue",outcome="duplicate"}} as the service exports it. */
    private double queueDuplicates() throws Exception {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("iotdr_telemetry_records_total{")
                        && line.contains("outcome=\"duplicate\"")
                        && line.contains("source=\"queue\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aBatchWithOneInvalidRecordIsRefusedNamingItAndStoresNothing() throws Exception {
        String thing = "refused-" + RUN;
        byte[] body = new String(batch(thing, 0, 5), StandardCharsets.UTF_8)
                .replace("\"messageId\":\"b-3\"", "\"messageId\":\"b 3\"")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = post("telemetry:write", body, null);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
        assertThat(JSON.readTree(answer.body()).get("field").asString()).isEqualTo("records[3].messageId");
        assertThat(stored(thing)).isEmpty();
    }

    @Test
    void batchLimitsAndScopesAreEnforced() throws Exception {
        assertThat(post("telemetry:read", batch("scope-" + RUN, 0, 1), null).statusCode())
                .isEqualTo(403);
        HttpResponse<String> tooMany = post("telemetry:write", batch("many-" + RUN, 0, 51), null);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).get("field").asString()).isEqualTo("records");
        byte[] bomb = gzip(("{\"records\":[\"" + "x".repeat(2_000_000) + "\"]}").getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(1_048_576);
        assertThat(post("telemetry:write", bomb, "gzip").statusCode()).isEqualTo(413);
        assertThat(post("telemetry:write", batch("enc-" + RUN, 0, 1), "br").statusCode())
                .isEqualTo(415);
    }

    @Test
    void aDevicesTelemetryIsReadByTimeRangePageByPage() throws Exception {
        String thing = "history-" + RUN;
        // before the batch is made: its records are 100 s to 76 s old
        String from = Instant.ofEpochMilli(ts(100)).minusSeconds(5).toString();
        assertThat(post("telemetry:write", batch(thing, 0, 25), null).statusCode())
                .isEqualTo(200);
        String to = Instant.now().plusSeconds(1).toString();

        Set<String> seen = new HashSet<>();
        List<Long> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/v1/devices/" + thing + "/telemetry?from=" + from + "&to=" + to + "&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> page = get("telemetry:read", path);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(page.body());
            for (JsonNode record : answer.get("records")) {
                assertThat(seen.add(record.get("messageId").asString())).isTrue();
                times.add(record.get("ts").asLong());
            }
            cursor = answer.get("nextCursor").isNull()
                    ? null
                    : answer.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).hasSize(25);
        assertThat(times).isSorted();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(get("telemetry:write", "/v1/devices/" + thing + "/telemetry?from=" + from + "&to=" + to)
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> badCursor =
                get("telemetry:read", "/v1/devices/" + thing + "/telemetry?from=" + from + "&to=" + to + "&cursor=zz");
        assertThat(JSON.readTree(badCursor.body()).get("field").asString()).isEqualTo("cursor");
    }

    private static String presence(String client, String type, long timestamp, String session) {
        return "{\"clientId\":\"" + client + "\",\"timestamp\":" + timestamp + ",\"eventType\":\"" + type
                + "\",\"sessionIdentifier\":\"" + session + "\",\"principalIdentifier\":\"c\","
                + "\"ipAddress\":\"127.0.0.1\",\"versionNumber\":1"
                + (type.equals("disconnected")
                        ? ",\"clientInitiatedDisconnect\":false,\"disconnectReason\":\"CONNECTION_LOST\""
                        : "")
                + "}";
    }

    private long connectedHere() throws Exception {
        JsonNode fleet =
                JSON.readTree(get("telemetry:read", "/v1/fleet/presence").body());
        for (JsonNode region : fleet.get("regions")) {
            if (region.get("region").asString().equals(REGION.code())) {
                return region.get("connected").asLong();
            }
        }
        throw new AssertionError("no " + REGION + " in " + fleet);
    }

    private JsonNode presenceOf(String client) throws Exception {
        return JSON.readTree(
                get("telemetry:read", "/v1/fleet/presence/" + client).body());
    }

    @Test
    void presenceFollowsSessionsWhateverOrderEventsArriveInAndCountsOnlyTransitions() throws Exception {
        String a = "presence-a-" + RUN;
        String b = "presence-b-" + RUN;
        String c = "presence-c-" + RUN;
        String queue = url(QUEUE + "-presence");
        long now = Instant.now().toEpochMilli();
        long before = connectedHere();
        List<String> events = List.of(
                // a: connected (delivered twice), then an older session's disconnect arrives late
                presence(a, "connected", now, "a-2"),
                presence(a, "connected", now, "a-2"),
                presence(a, "disconnected", now - 1000, "a-1"),
                // b: connected, then that session disconnected
                presence(b, "connected", now, "b-1"),
                presence(b, "disconnected", now + 500, "b-1"),
                // c: reconnects; the new session's connect comes before the old session's (later) disconnect
                presence(c, "connected", now - 2000, "c-1"),
                presence(c, "connected", now - 100, "c-2"),
                presence(c, "disconnected", now, "c-1"),
                // not an event: parked, not applied
                "{\"clientId\":\"x\",\"eventType\":\"hello\"}");
        for (String event : events) {
            sqs().sendMessage(r -> r.queueUrl(queue).messageBody(event));
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(queueDepth(QUEUE + "-presence")).isZero());
        JsonNode deviceA = presenceOf(a);
        JsonNode deviceB = presenceOf(b);
        JsonNode deviceC = presenceOf(c);
        assertThat(deviceA.get("connected").asBoolean()).as(deviceA.toString()).isTrue();
        assertThat(deviceA.get("region").asString()).isEqualTo(REGION.code());
        assertThat(deviceA.get("since").asString())
                .isEqualTo(Instant.ofEpochMilli(now).toString());
        assertThat(deviceB.get("connected").asBoolean()).as(deviceB.toString()).isFalse();
        assertThat(deviceB.get("regions").get(0).get("disconnectReason").asString())
                .isEqualTo("CONNECTION_LOST");
        assertThat(deviceC.get("connected").asBoolean())
                .as("taken over, not disconnected: " + deviceC)
                .isTrue();
        assertThat(deviceC.get("since").asString())
                .isEqualTo(Instant.ofEpochMilli(now - 100).toString());
        assertThat(connectedHere() - before)
                .as("a and c counted once each, b not at all")
                .isEqualTo(2);
        List<Message> parked = sqs().receiveMessage(r -> r.queueUrl(url(QUEUE + "-presence-dlq"))
                        .messageAttributeNames("All")
                        .maxNumberOfMessages(10))
                .messages();
        assertThat(parked).anySatisfy(m -> assertThat(
                        m.messageAttributes().get("iotdr-reason").stringValue())
                .contains("eventType"));
    }

    @Test
    void aRegionEmptiedUnderIngestHealsAndTheMessageIsStoredNotParked() throws Exception {
        String thing = "emptied-" + RUN;
        clients.dynamoDb(REGION).deleteTable(r -> r.tableName(TABLE));
        String message = ruleMessage(thing, "m-1", 1, ts(10));
        sqs().sendMessage(r -> r.queueUrl(url(QUEUE)).messageBody(message));

        // the first write finds no table: the service heals the region and the message comes back (15 s later)
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(stored(thing)).hasSize(1));
        List<Message> parked = sqs().receiveMessage(r ->
                        r.queueUrl(url(QUEUE + "-dlq")).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        assertThat(parked).noneSatisfy(m -> assertThat(m.body()).isEqualTo(message));
    }

    @Test
    void theOpenApiDocumentIsServedAndNamesEveryEndpoint() throws Exception {
        HttpResponse<String> spec = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.yaml"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body())
                .contains("openapi: 3.")
                .contains("/v1/telemetry/batches")
                .contains("/v1/devices/{thingName}/telemetry")
                .contains("/v1/fleet/presence:")
                .contains("/v1/fleet/presence/{clientId}:");
    }
}
