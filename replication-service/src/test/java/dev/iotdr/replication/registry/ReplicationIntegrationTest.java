package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudConfig;
import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.replication.support.FaultyRegionRegistry;
import dev.iotdr.replication.support.SourceRegion;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.contract.TelemetryTable;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * eu-west-1's replication service against the local cloud, in table-copy mode, fed by device records
 * written in us-east-1 with certificates us-east-1's IoT issued.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ReplicationIntegrationTest.Faults.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final String SECRET =
            Base64.getEncoder().encodeToString("replication-test-secret-32-bytes".getBytes());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static LocalCloud cloud;
    private static RegionalAwsClients clients;

    @DynamicPropertySource
    static void localCloud(DynamicPropertyRegistry registry) {
        cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
        clients = new RegionalAwsClients(cloud.awsSettings());
        new SourceRegion(clients, US).ensureTable();
        registry.add("iotdr.region", EU::code);
        registry.add("iotdr.topology", () -> "us-east-1,eu-west-1");
        registry.add("iotdr.domain", () -> "fleet.iotdr.test");
        for (Region region : cloud.regions()) {
            registry.add("iotdr.aws.endpoints." + region.code(), () -> cloud.endpoint(region)
                    .toString());
        }
        registry.add("iotdr.aws.global-endpoint", () -> cloud.globalEndpoint().toString());
        registry.add("iotdr.aws.access-key-id", () -> "testing");
        registry.add("iotdr.aws.secret-access-key", () -> "testing");
        registry.add("iotdr.aws-calls.initial-backoff", () -> "20ms");
        registry.add("iotdr.aws-calls.max-backoff", () -> "100ms");
        registry.add("iotdr.replication.mode", () -> "TABLE_COPY");
        registry.add("iotdr.replication.poll-interval", () -> "200ms");
        registry.add("iotdr.replication.attempts-before-parking", () -> "3");
        registry.add("iotdr.security.jwt-secret", () -> SECRET);
    }

    @AfterAll
    static void stopCloud() {
        clients.close();
        cloud.close();
    }

    /** Fault injection around the real IoT adapter. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Faults {
        @Bean
        @Primary
        FaultyRegionRegistry faultyRegionRegistry(@Qualifier("regionRegistry") RegionRegistry real) {
            return new FaultyRegionRegistry(real);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    FaultyRegionRegistry faults;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    @Order(1)
    void recordsWrittenInTheOtherRegionBecomeConnectReadyHere() {
        SourceRegion us = new SourceRegion(clients, US);
        List<DeviceRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(us.onboard("rep-" + UUID.randomUUID()));
        }

        for (DeviceRecord record : records) {
            assertThat(eventually(() -> ready(record.deviceId().value())))
                    .as(record.deviceId().value())
                    .isTrue();
            String arn = record.certificate().arnIn(EU);
            assertThat(clients.iot(EU)
                            .describeCertificate(r ->
                                    r.certificateId(record.certificate().id().value()))
                            .certificateDescription()
                            .status())
                    .isEqualTo(CertificateStatus.ACTIVE);
            assertThat(clients.iot(EU)
                            .listThingPrincipals(
                                    r -> r.thingName(record.deviceId().value()))
                            .principals())
                    .containsExactly(arn);
            assertThat(clients.iot(EU)
                            .describeThing(r -> r.thingName(record.deviceId().value()))
                            .attributes())
                    .containsEntry("site", "plant-7");
        }
        JsonNode status = get("/v1/replication/status");
        assertThat(status.get("mode").asString()).isEqualTo("TABLE_COPY");
        assertThat(status.get("sources").get(0).get("region").asString()).isEqualTo("us-east-1");
        JsonNode fromUs = status.get("sources").get(0);
        // Each record was handled from the stream: applied, or skipped when the bootstrap catch-up job got to
        // the device first.
        JsonNode handled = fromUs.get("thisInstance");
        assertThat(handled.get("applied").asLong() + handled.get("skipped").asLong())
                .isGreaterThanOrEqualTo(5);
        assertThat(fromUs.get("lagMillis").isNumber())
                .as("a known lag while the reader works: %s", fromUs)
                .isTrue();
        assertThat(fromUs.get("lagMillis").asLong()).isLessThan(5_000);
        assertThat(fromUs.get("openShards").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void rotationAndDecommissionFollowInThisRegion() {
        SourceRegion us = new SourceRegion(clients, US);
        DeviceRecord onboarded = us.onboard("rep-" + UUID.randomUUID());
        String device = onboarded.deviceId().value();
        assertThat(eventually(() -> ready(device))).isTrue();

        DeviceRecord rotated = onboarded.withRotatedCertificate(us.issueCertificate(), US, Instant.now());
        us.write(rotated);
        assertThat(eventually(() -> clients.iot(EU)
                        .listThingPrincipals(r -> r.thingName(device))
                        .principals()
                        .equals(List.of(rotated.certificate().arnIn(EU)))))
                .isTrue();
        assertThat(eventually(() -> clients.iot(EU)
                                .describeCertificate(r -> r.certificateId(
                                        onboarded.certificate().id().value()))
                                .certificateDescription()
                                .status()
                        == CertificateStatus.INACTIVE))
                .isTrue();

        us.write(rotated.decommissioned(US, Instant.now()));
        assertThat(eventually(() -> !thingExists(device))).isTrue();
        assertThat(clients.iot(EU)
                        .describeCertificate(
                                r -> r.certificateId(rotated.certificate().id().value()))
                        .certificateDescription()
                        .status())
                .isEqualTo(CertificateStatus.INACTIVE);
        JsonNode readiness = get("/v1/devices/" + device + "/readiness");
        assertThat(readiness.get("ready").asBoolean()).isFalse();
        assertThat(readiness.get("problems").toString()).contains("decommissioned");
    }

    @Test
    @Order(3)
    void throttlingIsWaitedOutAndConvergesWithNothingParked() {
        faults.throttle(8);
        SourceRegion us = new SourceRegion(clients, US);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            devices.add(us.onboard("rep-" + UUID.randomUUID()).deviceId().value());
        }

        for (String device : devices) {
            assertThat(eventually(() -> ready(device))).as(device).isTrue();
        }
        assertThat(get("/v1/replication/status").get("parkedCount").asInt()).isZero();
    }

    @Test
    @Order(4)
    void aRecordThatKeepsFailingIsParkedWithItsCauseAndRedrivenLater() {
        SourceRegion us = new SourceRegion(clients, US);
        String device = "rep-" + UUID.randomUUID();
        faults.breakThing(device);
        us.onboard(device);
        String next = us.onboard("rep-" + UUID.randomUUID()).deviceId().value();

        assertThat(eventually(
                        () -> get("/v1/replication/dead-letters").toString().contains(device)))
                .isTrue();
        assertThat(get("/v1/replication/dead-letters").toString()).contains("injected: this thing cannot be written");
        long parked = get("/v1/replication/status").get("parkedCount").asLong();
        assertThat(parked)
                .as("the dead-letter count is kept as devices are parked")
                .isGreaterThanOrEqualTo(1);
        assertThat(eventually(() -> ready(next)))
                .as("the shard moved on past the parked record")
                .isTrue();
        assertThat(ready(device)).isFalse();

        faults.clear();
        JsonNode redriven = post("/v1/replication/dead-letters/redrive");

        assertThat(redriven.get("redriven").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(ready(device)).isTrue();
        assertThat(get("/v1/replication/dead-letters").toString()).doesNotContain(device);
        assertThat(get("/v1/replication/status").get("parkedCount").asLong())
                .as("and as they leave")
                .isEqualTo(parked - redriven.get("redriven").asLong());
    }

    @Test
    @Order(5)
    void anAuditFindsDriftAndARepairRemovesIt() {
        SourceRegion us = new SourceRegion(clients, US);
        DeviceRecord record = us.onboard("rep-" + UUID.randomUUID());
        String device = record.deviceId().value();
        assertThat(eventually(() -> ready(device))).isTrue();
        clients.iot(EU).detachThingPrincipal(r -> r.thingName(device)
                .principal(record.certificate().arnIn(EU)));

        JsonNode found = job(post("/v1/replication/audit", "{\"repair\":false}"));
        assertThat(found.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(found.get("driftSample").toString()).contains(device).contains("PRINCIPAL_NOT_ATTACHED");
        assertThat(found.get("counts").get("scanned").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(ready(device)).isFalse();

        JsonNode repaired = job(post("/v1/replication/audit", "{\"repair\":true}"));
        assertThat(repaired.get("counts").get("repaired").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(ready(device)).isTrue();
        assertThat(job(post("/v1/replication/audit", "{\"repair\":false}"))
                        .get("driftSample")
                        .toString())
                .doesNotContain(device);
        assertThat(get("/v1/replication/status").get("lastAudit").get("jobId").asString())
                .startsWith("job-");
    }

    @Test
    @Order(6)
    void withoutATokenOrWithTheWrongScopeTheApiRefuses() throws Exception {
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/replication/status"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        HttpResponse<String> readOnly = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/replication/audit"))
                        .header("Authorization", "Bearer " + token("ops:read"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readOnly.statusCode()).isEqualTo(403);
        HttpResponse<String> spec = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.yaml"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(spec.body())
                .contains(
                        "/v1/replication/status:",
                        "/v1/replication/audit:",
                        "/v1/replication/dead-letters/redrive:",
                        "/v1/replication/resync:",
                        "/v1/replication/jobs/{jobId}:",
                        "/v1/devices/{deviceId}/readiness:");
    }

    @Test
    @Order(7)
    void whenThisRegionIsDownDuringABurstEverythingConvergesAfterItReturns() {
        SourceRegion us = new SourceRegion(clients, US);
        cloud.stopRegion(EU);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            devices.add(us.onboard("burst-" + UUID.randomUUID()).deviceId().value());
        }
        sleep(Duration.ofSeconds(2)); // the reader keeps polling into a dead region meanwhile

        cloud.startRegion(EU); // back, and empty: a region rebuilt from scratch

        for (String device : devices) {
            assertThat(eventually(() -> ready(device), Duration.ofSeconds(60)))
                    .as(device)
                    .isTrue();
        }
    }

    @Test
    @Order(8)
    void aResyncJobRebuildsTheRegistryAndReportsItsProgress() {
        SourceRegion us = new SourceRegion(clients, US);
        DeviceRecord record = us.onboard("resync-" + UUID.randomUUID());
        String device = record.deviceId().value();
        assertThat(eventually(() -> ready(device), Duration.ofSeconds(60))).isTrue();
        clients.iot(EU).detachThingPrincipal(r -> r.thingName(device)
                .principal(record.certificate().arnIn(EU)));
        assertThat(ready(device)).isFalse();

        JsonNode started = post("/v1/replication/resync");
        assertThat(started.get("state").asString()).isEqualTo("RUNNING");
        assertThat(started.get("phases").toString()).contains("COPY:us-east-1", "APPLY_ALL");
        JsonNode done = job(started);

        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("counts").get("applied").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(done.get("counts").get("failed").asLong()).isZero();
        assertThat(ready(device)).isTrue();
        assertThat(get("/v1/replication/jobs").toString())
                .contains(done.get("id").asString());
    }

    @Test
    @Order(9)
    void anUnknownJobIsAProblemNotAnError() throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/replication/jobs/job-nope"))
                        .header("Authorization", "Bearer " + token("ops:read"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    @Order(10)
    void aRecordOfTheSameVersionThatOutranksThisRegionsOwnReplacesItAndRetiresItsCertificate() {
        String device = "rival-" + UUID.randomUUID();
        // eu-west-1's onboarding accepted the device: its certificate ACTIVE on the thing, its record written.
        SourceRegion eu = new SourceRegion(clients, EU);
        DeviceCertificate euCertificate = eu.issueCertificate();
        var euIot = clients.iot(EU);
        euIot.createThing(r -> r.thingName(device).thingTypeName(DevicePolicy.DEFAULT_THING_TYPE));
        euIot.attachPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).target(euCertificate.arn()));
        euIot.attachThingPrincipal(r -> r.thingName(device).principal(euCertificate.arn()));
        DeviceRecord inEu = DeviceRecord.onboarded(
                DeviceId.of(device),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.of(Map.of("model", "th-200")),
                euCertificate,
                PolicyName.of(DevicePolicy.DEFAULT_NAME),
                EU,
                Instant.now());
        eu.write(inEu);

        // us-east-1 accepted it at the same time, with its own certificate; its record ranks first.
        DeviceRecord inUs = new SourceRegion(clients, US).onboard(device);
        assertThat(inUs.supersedes(inEu)).isTrue();

        assertThat(eventually(() -> inUs.equals(recordHere(device))))
                .as("the table here holds us-east-1's record (the emulator evaluated the copy's tie-break)")
                .isTrue();
        assertThat(eventually(() -> ready(device))).isTrue();
        assertThat(euIot.listThingPrincipals(r -> r.thingName(device)).principals())
                .containsExactly(inUs.certificate().arnIn(EU));
        assertThat(euIot.describeCertificate(
                                r -> r.certificateId(euCertificate.id().value()))
                        .certificateDescription()
                        .status())
                .as("this region's own certificate of the losing record")
                .isEqualTo(CertificateStatus.INACTIVE);

        // The losing record, read again from us-east-1's stream, replaces nothing (records of one shard are
        // applied in order: once a later record is ready here, the copy of this one was tried).
        new SourceRegion(clients, US).write(inEu);
        String later = new SourceRegion(clients, US)
                .onboard("rival-" + UUID.randomUUID())
                .deviceId()
                .value();
        assertThat(eventually(() -> ready(later))).isTrue();
        assertThat(recordHere(device)).isEqualTo(inUs);
    }

    @Test
    @Order(11)
    void aCertificateThisRegionAttachedButHasNotRecordedYetIsLeftAloneByAnApply() {
        SourceRegion us = new SourceRegion(clients, US);
        DeviceRecord onboarded = us.onboard("pending-" + UUID.randomUUID());
        String device = onboarded.deviceId().value();
        assertThat(eventually(() -> ready(device), Duration.ofSeconds(60))).isTrue();
        // eu-west-1's onboarding is rotating the certificate: the new one attached, INACTIVE, not yet recorded.
        var euIot = clients.iot(EU);
        var pending = euIot.createKeysAndCertificate(r -> r.setAsActive(false));
        euIot.attachPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).target(pending.certificateArn()));
        euIot.attachThingPrincipal(r -> r.thingName(device).principal(pending.certificateArn()));

        us.write(onboarded.withRegistryData(
                onboarded.thingGroups(), ThingAttributes.of(Map.of("site", "plant-8")), US, Instant.now()));

        assertThat(eventually(() -> ready(device)
                        && "plant-8"
                                .equals(euIot.describeThing(r -> r.thingName(device))
                                        .attributes()
                                        .get("site"))))
                .isTrue();
        assertThat(euIot.listThingPrincipals(r -> r.thingName(device)).principals())
                .containsExactlyInAnyOrder(onboarded.certificate().arnIn(EU), pending.certificateArn());
        assertThat(euIot.describeCertificate(r -> r.certificateId(pending.certificateId()))
                        .certificateDescription()
                        .status())
                .isEqualTo(CertificateStatus.INACTIVE);
    }

    /**
     * The telemetry hot store is copied by the same stream replication, generalised to a list of tables: an item
     * written in us-east-1 appears here as it was; an item this region holds already (ingested here too, around a
     * failover) is left as it is, not overwritten; the copy's lag is reported beside the registry's.
     */
    @Test
    @Order(12)
    void theTelemetryHotStoreIsCopiedHereWriteOnceWithItsOwnLag() {
        for (Region region : List.of(US, EU)) {
            ensureTelemetryTable(region);
        }
        String thing = "hot-" + UUID.randomUUID();
        clients.dynamoDb(EU).putItem(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
                .item(telemetryItem(thing, "m-both", "stored in eu-west-1 first")));
        clients.dynamoDb(US).putItem(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
                .item(telemetryItem(thing, "m-both", "stored in us-east-1 second")));
        clients.dynamoDb(US).putItem(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
                .item(telemetryItem(thing, "m-us", "stored in us-east-1 only")));

        Instant written = Instant.now();

        assertThat(eventually(() -> telemetryHere(thing, "m-us") != null, Duration.ofSeconds(60)))
                .isTrue();
        assertThat(telemetryHere(thing, "m-us")).isEqualTo(telemetryItem(thing, "m-us", "stored in us-east-1 only"));
        JsonNode copied = get("/v1/replication/status").get("copiedTables");
        assertThat(copied).hasSize(1);
        assertThat(copied.get(0).get("table").asString()).isEqualTo(TelemetryTable.DEFAULT_NAME);
        assertThat(copied.get(0).get("sources").get(0).get("region").asString()).isEqualTo(US.code());
        // once everything us-east-1 wrote before `written` is applied here, m-both's copy has been tried too
        assertThat(eventually(
                        () -> {
                            JsonNode upTo = get("/v1/replication/status")
                                    .get("copiedTables")
                                    .get(0)
                                    .get("sources")
                                    .get(0)
                                    .get("appliedUpTo");
                            return !upTo.isNull()
                                    && !Instant.parse(upTo.asString()).isBefore(written);
                        },
                        Duration.ofSeconds(60)))
                .isTrue();
        assertThat(telemetryHere(thing, "m-both"))
                .isEqualTo(telemetryItem(thing, "m-both", "stored in eu-west-1 first"));
    }

    private static void ensureTelemetryTable(Region region) {
        try {
            clients.dynamoDb(region).createTable(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
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
                                    .build())
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        } catch (ResourceInUseException exists) {
            // made by an earlier run against the same cloud
        }
    }

    private static Map<String, AttributeValue> telemetryItem(String thing, String messageId, String note) {
        return Map.of(
                "thingName", AttributeValue.fromS(thing),
                "messageId", AttributeValue.fromS(messageId),
                "ts", AttributeValue.fromN("1765000000000"),
                "note", AttributeValue.fromS(note));
    }

    private static Map<String, AttributeValue> telemetryHere(String thing, String messageId) {
        var item = clients.dynamoDb(EU)
                .getItem(r -> r.tableName(TelemetryTable.DEFAULT_NAME)
                        .key(Map.of(
                                "thingName", AttributeValue.fromS(thing),
                                "messageId", AttributeValue.fromS(messageId)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    // ------------------------------------------------------------------ helpers

    private static DeviceRecord recordHere(String device) {
        var item = clients.dynamoDb(EU)
                .getItem(r -> r.tableName(DeviceTable.DEFAULT_NAME)
                        .key(Map.of(DeviceTable.DEVICE_ID, AttributeValue.fromS(device)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? null : DeviceItemCodec.fromItem(item);
    }

    /** Waits for a started job to end and returns it as last seen. */
    private JsonNode job(JsonNode started) {
        String id = started.get("id").asString();
        JsonNode[] last = {started};
        assertThat(eventually(
                        () -> {
                            last[0] = get("/v1/replication/jobs/" + id);
                            return !"RUNNING".equals(last[0].get("state").asString());
                        },
                        Duration.ofSeconds(120)))
                .as("job %s ends", id)
                .isTrue();
        return last[0];
    }

    private boolean ready(String device) {
        try {
            return get("/v1/devices/" + device + "/readiness").get("ready").asBoolean();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private boolean thingExists(String device) {
        try {
            clients.iot(EU).describeThing(r -> r.thingName(device));
            return true;
        } catch (ResourceNotFoundException absent) {
            return false;
        }
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token("ops:read"))
                .build());
    }

    private JsonNode post(String path) {
        return post(path, null);
    }

    private JsonNode post(String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token("ops:read ops:write"));
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        return send(request.build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String scope) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims =
                url.encodeToString(("{\"sub\":\"test\",\"scope\":\"" + scope + "\",\"exp\":" + (now + 600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"));
            return header + "." + claims + "."
                    + url.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean eventually(BooleanSupplier condition) {
        return eventually(condition, Duration.ofSeconds(30));
    }

    private static boolean eventually(BooleanSupplier condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // keep waiting
            }
            sleep(Duration.ofMillis(200));
        }
        return false;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
