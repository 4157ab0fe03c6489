package dev.iotdr.onboarding.devices;

import static dev.iotdr.onboarding.support.OnboardingApi.json;
import static dev.iotdr.onboarding.support.OnboardingApi.onboardBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.SharedLocalCloud;
import dev.iotdr.onboarding.devices.application.UseCases.RecoverAbandonedRequests;
import dev.iotdr.onboarding.support.FaultInjection;
import dev.iotdr.onboarding.support.LocalCloudProperties;
import dev.iotdr.onboarding.support.MutableClock;
import dev.iotdr.onboarding.support.OnboardingApi;
import dev.iotdr.onboarding.support.OnboardingTestConfiguration;
import dev.iotdr.onboarding.support.TestCsrs;
import dev.iotdr.onboarding.support.TestTokens;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OnboardingTestConfiguration.class)
class OnboardingIntegrationTest {
    private static final Region US = Region.of(LocalCloudProperties.REGION);
    private static final Region EU = Region.of("eu-west-1");

    @DynamicPropertySource
    static void localCloud(DynamicPropertyRegistry registry) {
        LocalCloudProperties.register(registry, SharedLocalCloud.cloud());
    }

    @LocalServerPort
    int port;

    @Autowired
    FaultInjection faults;

    @Autowired
    MutableClock clock;

    @Autowired
    RecoverAbandonedRequests recovery;

    @Autowired
    GuardedAwsCalls calls;

    OnboardingApi api;
    IotClient iot;
    DynamoDbClient dynamo;

    @BeforeEach
    void setUp() {
        api = new OnboardingApi(URI.create("http://127.0.0.1:" + port));
        iot = SharedLocalCloud.clients().iot(US);
        dynamo = SharedLocalCloud.clients().dynamoDb(US);
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void onboardingWithAServerKeyProvisionsEverythingAndAnswersWithCustomEndpoints() {
        String device = newDeviceId();

        HttpResponse<String> response = api.onboard(newKey(), onboardBody(device));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/v1/devices/" + device);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).contains("false");
        JsonNode body = json(response);
        assertThat(body.get("deviceId").asString()).isEqualTo(device);
        assertThat(body.get("thingName").asString()).isEqualTo(device);
        assertThat(body.get("privateKey").asString()).contains("PRIVATE KEY");
        assertThat(body.get("certificatePem").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(body.get("endpoints").get("iot").asString()).isEqualTo("iot.fleet.iotdr.test");
        assertThat(body.get("endpoints").get("api").asString()).isEqualTo("api.fleet.iotdr.test");
        assertThat(response.body()).doesNotContain("amazonaws.com");
        assertThat(body.get("region").asString()).isEqualTo("us-east-1");
        assertThat(body.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(body.get("version").asLong()).isEqualTo(1);

        String certificateId = body.get("certificateId").asString();
        String certificateArn = body.get("certificateArn").asString();
        assertConnectReady(device, certificateId, certificateArn);
        assertThat(iot.describeThing(r -> r.thingName(device)).attributes())
                .containsAllEntriesOf(Map.of("model", "th-200", "firmware", "1.4.2", "site", "plant-7", "floor", "2"));
        assertThat(iot.listThingGroupsForThing(r -> r.thingName(device)).thingGroups())
                .anySatisfy(group -> assertThat(group.groupName()).isEqualTo("sensors"));

        DeviceRecord record = record(device).orElseThrow();
        assertThat(record.version()).isEqualTo(1);
        assertThat(record.originRegion()).isEqualTo(US);
        assertThat(record.certificate().id().value()).isEqualTo(certificateId);
        assertThat(record.certificate().pem())
                .isEqualTo(body.get("certificatePem").asString());
        assertThat(rawRecord(device).toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void replayWithSameKeyReturnsSameCertificateAndKeyAndCreatesNothingNew() {
        String device = newDeviceId();
        String key = newKey();
        JsonNode first = json(api.onboard(key, onboardBody(device)));
        int certificates = certificateCount();

        HttpResponse<String> replay = api.onboard(key, onboardBody(device));

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
        JsonNode again = json(replay);
        assertThat(again.get("certificateId").asString())
                .isEqualTo(first.get("certificateId").asString());
        assertThat(again.get("privateKey").asString())
                .isEqualTo(first.get("privateKey").asString());
        assertThat(again.get("version").asLong()).isEqualTo(1);
        assertThat(certificateCount()).isEqualTo(certificates);
        assertThat(record(device).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void replayedPrivateKeyIsStoredOnlySealed() {
        String device = newDeviceId();
        String key = newKey();
        String privateKey =
                json(api.onboard(key, onboardBody(device))).get("privateKey").asString();

        Map<String, AttributeValue> stored = dynamo.getItem(r ->
                        r.tableName("onboarding-requests").key(Map.of("pk", AttributeValue.fromS("request#" + key))))
                .item();

        assertThat(stored).containsKey("privateKeySealed");
        String everything = stored.toString();
        assertThat(everything).doesNotContain("PRIVATE KEY");
        String keyBody = privateKey
                .lines()
                .filter(line -> !line.startsWith("-----"))
                .findFirst()
                .orElseThrow();
        assertThat(everything).doesNotContain(keyBody);
        long ttl = Long.parseLong(stored.get("ttl").n());
        assertThat(Instant.ofEpochSecond(ttl)).isBefore(clock.instant().plus(Duration.ofHours(26)));
    }

    @Test
    void sameKeyWithADifferentBodyIsRefusedAndCreatesNothing() {
        String key = newKey();
        api.onboard(key, onboardBody(newDeviceId()));
        int certificates = certificateCount();
        String other = newDeviceId();

        HttpResponse<String> response = api.onboard(key, onboardBody(other));

        assertProblem(response, 422, "idempotency-key-reused");
        assertThat(certificateCount()).isEqualTo(certificates);
        assertThat(thingExists(other)).isFalse();
    }

    @Test
    void aSecondRegistrationUnderAnotherKeyIsAConflictAndLeavesNothingBehind() {
        String device = newDeviceId();
        JsonNode first = json(api.onboard(newKey(), onboardBody(device)));
        int certificates = certificateCount();

        HttpResponse<String> second = api.onboard(newKey(), onboardBody(device));

        assertProblem(second, 409, "device-exists");
        assertThat(certificateCount()).isEqualTo(certificates);
        assertConnectReady(
                device,
                first.get("certificateId").asString(),
                first.get("certificateArn").asString());
    }

    @Test
    void onboardingWithACsrKeepsTheKeyOnTheDevice() {
        String device = newDeviceId();
        String body = "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"sensors\",\"csr\":"
                + quote(TestCsrs.ecP256(device)) + "}";

        HttpResponse<String> response = api.onboard(newKey(), body);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode json = json(response);
        assertThat(json.has("privateKey")).isFalse();
        assertThat(response.body()).doesNotContain("PRIVATE KEY");
        assertConnectReady(
                device,
                json.get("certificateId").asString(),
                json.get("certificateArn").asString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tampered", "rsa1024", "garbage", "private-key"})
    void anUnacceptableCsrIsRefusedAndChangesNothing(String kind) {
        String device = newDeviceId();
        String csr =
                switch (kind) {
                    case "tampered" -> TestCsrs.tampered(device);
                    case "rsa1024" -> TestCsrs.rsa(1024, device);
                    case "garbage" ->
                        "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----";
                    default -> "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
                };
        int certificates = certificateCount();

        HttpResponse<String> response = api.onboard(
                newKey(), "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"sensors\",\"csr\":" + quote(csr) + "}");

        assertProblem(response, 400, "invalid-csr");
        assertThat(certificateCount()).isEqualTo(certificates);
        assertThat(thingExists(device)).isFalse();
        assertThat(record(device)).isEmpty();
    }

    @Test
    void readingADeviceNeverShowsPrivateKeyMaterial() {
        String device = newDeviceId();
        api.onboard(newKey(), onboardBody(device));

        HttpResponse<String> response = api.get("/v1/devices/" + device);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(body.get("certificateStatus").asString()).isEqualTo("ACTIVE");
        assertThat(body.get("originRegion").asString()).isEqualTo("us-east-1");
        assertThat(response.body()).doesNotContain("PRIVATE KEY").doesNotContain("privateKey");
        assertProblem(api.get("/v1/devices/" + newDeviceId()), 404, "device-not-found");
    }

    @Test
    void listingPagesThroughEveryDeviceWithACursor() {
        Set<String> onboarded = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String device = newDeviceId();
            api.onboard(newKey(), onboardBody(device));
            onboarded.add(device);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = json(api.get("/v1/devices?limit=2&cursor=" + cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items")
                    .forEach(item -> assertThat(seen.add(item.get("deviceId").asString()))
                            .as("a device appears on one page only")
                            .isTrue());
            cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
            pages++;
        } while (cursor != null && pages < 1000);
        assertThat(seen).containsAll(onboarded);
        assertThat(pages).isGreaterThan(1);
        assertProblem(api.get("/v1/devices?limit=0"), 400, "invalid-request");
        assertProblem(api.get("/v1/devices?limit=2&cursor=not-a-cursor!"), 400, "invalid-request");
    }

    @Test
    void decommissionLeavesATombstoneAndRemovesTheDeviceFromTheRegistry() {
        String device = newDeviceId();
        JsonNode onboarded = json(api.onboard(newKey(), onboardBody(device)));
        String certificateId = onboarded.get("certificateId").asString();
        String certificateArn = onboarded.get("certificateArn").asString();

        HttpResponse<String> response = api.send("DELETE", "/v1/devices/" + device, write(), null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asString()).isEqualTo("DECOMMISSIONED");
        assertThat(thingExists(device)).isFalse();
        assertThat(iot.describeCertificate(r -> r.certificateId(certificateId))
                        .certificateDescription()
                        .status())
                .isEqualTo(CertificateStatus.INACTIVE);
        assertThat(iot.listPrincipalThings(r -> r.principal(certificateArn)).things())
                .isEmpty();
        assertThat(iot.listAttachedPolicies(r -> r.target(certificateArn)).policies())
                .isEmpty();
        DeviceRecord tombstone = record(device).orElseThrow();
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.version()).isEqualTo(2);

        HttpResponse<String> again = api.send("DELETE", "/v1/devices/" + device, write(), null, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(record(device).orElseThrow().version()).isEqualTo(2);

        HttpResponse<String> reonboarded = api.onboard(newKey(), onboardBody(device));
        assertThat(reonboarded.statusCode()).isEqualTo(201);
        assertThat(json(reonboarded).get("version").asLong()).isEqualTo(3);
        assertThat(record(device).orElseThrow().status().name()).isEqualTo("ACTIVE");
        assertProblem(api.send("DELETE", "/v1/devices/" + newDeviceId(), write(), null, null), 404, "device-not-found");
    }

    @Test
    void rotationActivatesTheNewCertificateAndRetiresTheOld() {
        String device = newDeviceId();
        JsonNode onboarded = json(api.onboard(newKey(), onboardBody(device)));
        String oldId = onboarded.get("certificateId").asString();
        String oldArn = onboarded.get("certificateArn").asString();
        String key = newKey();

        HttpResponse<String> response = api.send("POST", "/v1/devices/" + device + "/certificate", write(), key, null);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode rotated = json(response);
        String newId = rotated.get("certificateId").asString();
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(rotated.get("privateKey").asString()).contains("PRIVATE KEY");
        assertThat(rotated.get("version").asLong()).isEqualTo(2);
        assertConnectReady(device, newId, rotated.get("certificateArn").asString());
        assertThat(iot.describeCertificate(r -> r.certificateId(oldId))
                        .certificateDescription()
                        .status())
                .isEqualTo(CertificateStatus.INACTIVE);
        assertThat(iot.listPrincipalThings(r -> r.principal(oldArn)).things()).isEmpty();
        DeviceRecord record = record(device).orElseThrow();
        assertThat(record.certificate().id().value()).isEqualTo(newId);
        assertThat(record.retiredCertificates())
                .singleElement()
                .satisfies(retired -> assertThat(retired.id().value()).isEqualTo(oldId));

        HttpResponse<String> replay = api.send("POST", "/v1/devices/" + device + "/certificate", write(), key, null);
        assertThat(json(replay).get("certificateId").asString()).isEqualTo(newId);
        assertThat(record(device).orElseThrow().version()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ failures leave nothing behind

    @ParameterizedTest
    @ValueSource(
            strings = {
                "after:ensureThingGroup",
                "before:createKeysAndCertificate",
                "after:attachPolicy",
                "after:ensureThing",
                "after:attachThingPrincipal",
                "after:addThingToGroup",
                "before:insertRecord"
                // the certificate is activated only after the record is written: a failure there is finished,
                // never undone (aFailureAfterTheRecordIsWrittenIsNeverUndoneAndTheRetryFinishes)
            })
    void aFailureAfterAnyStepIsUndoneAndARetryWithTheSameKeyConverges(String injection) {
        String device = newDeviceId();
        String key = newKey();
        Set<String> certificatesBefore = certificateIds();
        inject(injection);

        HttpResponse<String> failed = api.onboard(key, onboardBody(device));

        assertProblem(failed, 503, "dependency-unavailable");
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(thingExists(device)).as("thing after %s", injection).isFalse();
        assertThat(certificateIds()).as("certificates after %s", injection).isEqualTo(certificatesBefore);
        assertThat(record(device)).as("record after %s", injection).isEmpty();

        faults.clear();
        HttpResponse<String> retried = api.onboard(key, onboardBody(device));

        assertThat(retried.statusCode()).isEqualTo(201);
        JsonNode body = json(retried);
        assertConnectReady(
                device,
                body.get("certificateId").asString(),
                body.get("certificateArn").asString());
        Set<String> created = certificateIds();
        created.removeAll(certificatesBefore);
        assertThat(created).containsExactly(body.get("certificateId").asString());
    }

    @Test
    void aFailureAfterTheRecordIsWrittenIsNeverUndoneAndTheRetryFinishes() {
        String device = newDeviceId();
        String key = newKey();
        faults.failAfter("insertRecord");

        HttpResponse<String> failed = api.onboard(key, onboardBody(device));

        assertProblem(failed, 503, "dependency-unavailable");
        DeviceRecord written = record(device).orElseThrow();
        assertThat(certificateStatus(written.certificate().id().value()))
                .as("activated only once the saga finishes, after the record")
                .isEqualTo(CertificateStatus.INACTIVE);

        faults.clear();
        JsonNode retried = json(api.onboard(key, onboardBody(device)));
        assertConnectReady(
                device,
                written.certificate().id().value(),
                written.certificate().arn());
        assertThat(retried.get("certificateId").asString())
                .isEqualTo(written.certificate().id().value());
        assertThat(retried.get("privateKey").asString()).contains("PRIVATE KEY");
        assertThat(record(device).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void anAbandonedRequestWhoseUndoAlsoFailedIsCleanedUpByTheSweeper() {
        String device = newDeviceId();
        Set<String> certificatesBefore = certificateIds();
        faults.failAfter("attachThingPrincipal");
        faults.failBefore("deleteCertificate");

        assertProblem(api.onboard(newKey(), onboardBody(device)), 503, "dependency-unavailable");
        assertThat(certificateIds()).hasSize(certificatesBefore.size() + 1); // parked, not yet undone

        faults.clear();
        clock.advance(Duration.ofMinutes(10));
        int recovered = recovery.recoverAbandoned();

        assertThat(recovered).isGreaterThanOrEqualTo(1);
        assertThat(certificateIds()).isEqualTo(certificatesBefore);
        assertThat(thingExists(device)).isFalse();
        assertThat(record(device)).isEmpty();
        assertThat(api.onboard(newKey(), onboardBody(device)).statusCode())
                .as("claim released")
                .isEqualTo(201);
    }

    // ------------------------------------------------------------------ races (issue 9)
    //
    // Emulator behaviour these lean on, as AWS documents it too: DeleteThing refuses a thing with a principal
    // attached ("still attached to one or more principals"); conditional DynamoDB writes are evaluated
    // atomically. MutableClock moves the services' clock (leases, sweeper) without waiting; the other
    // region's device table is the emulator's eu-west-1, written directly where another region's onboarding
    // or replication would have written it.

    @Test
    void aSlowAttemptOvertakenByARetryUndoesNothing() throws Exception {
        String device = newDeviceId();
        String key = newKey();
        FaultInjection.Pause slow = faults.pauseBefore("attachThingPrincipal");
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> api.onboard(key, onboardBody(device)));
        slow.awaitReached(); // the certificate is issued and recorded, the thing created
        clock.advance(Duration.ofSeconds(31)); // the first attempt's lease runs out while it waits

        HttpResponse<String> retry = api.onboard(key, onboardBody(device));
        slow.resume();
        HttpResponse<String> overtaken = first.get(2, TimeUnit.MINUTES);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        JsonNode body = json(retry);
        String certificateId = body.get("certificateId").asString();
        assertProblem(overtaken, 409, "request-in-progress");
        assertConnectReady(device, certificateId, body.get("certificateArn").asString());
        assertThat(record(device).orElseThrow().certificate().id().value()).isEqualTo(certificateId);
        assertThat(claimOwner(device)).contains(key);
        assertThat(json(api.onboard(key, onboardBody(device)))
                        .get("certificateId")
                        .asString())
                .as("replayed")
                .isEqualTo(certificateId);
    }

    @Test
    void aDeviceDecommissionedInAnotherRegionCanBeOnboardedHereAgain() {
        String device = newDeviceId();
        JsonNode first = json(api.onboard(newKey(), onboardBody(device)));
        // eu-west-1 decommissioned it after a failover; replication brought the tombstone and retired the
        // certificate here, as it does.
        DeviceRecord tombstone = record(device).orElseThrow().decommissioned(Region.of("eu-west-1"), Instant.now());
        dynamo.putItem(r -> r.tableName("devices").item(DeviceItemCodec.toItem(tombstone)));
        String oldArn = first.get("certificateArn").asString();
        iot.updateCertificate(
                r -> r.certificateId(first.get("certificateId").asString()).newStatus(CertificateStatus.INACTIVE));
        iot.detachThingPrincipal(r -> r.thingName(device).principal(oldArn));

        HttpResponse<String> again = api.onboard(newKey(), onboardBody(device));

        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        JsonNode body = json(again);
        assertThat(body.get("version").asLong()).isEqualTo(tombstone.version() + 1);
        assertConnectReady(
                device,
                body.get("certificateId").asString(),
                body.get("certificateArn").asString());
    }

    @Test
    void theSweeperKeepsTheThingOfTheOnboardingThatWon() {
        String device = newDeviceId();
        faults.onceBefore("insertRecord", () -> putRivalRecord(device)); // another region's record lands first
        faults.failBefore("deleteCertificate"); // and this saga's undo is parked half-way

        assertProblem(api.onboard(newKey(), onboardBody(device)), 409, "device-exists");
        faults.clear();
        clock.advance(Duration.ofMinutes(10));
        recovery.recoverAbandoned();

        assertThat(thingExists(device))
                .as("the winner's device keeps its thing")
                .isTrue();
        assertThat(record(device).orElseThrow().originRegion()).isEqualTo(Region.of("eu-west-1"));
    }

    @Test
    void aDeviceLiveInAnotherRegionIsRefusedHereAndNothingIsLeft() {
        String device = newDeviceId();
        putRecordIn(EU, rivalRecord(device, EU));
        Set<String> certificatesBefore = certificateIds();

        HttpResponse<String> response = api.onboard(newKey(), onboardBody(device));

        assertProblem(response, 409, "device-exists");
        assertThat(json(response).get("detail").asString()).contains("eu-west-1");
        assertThat(record(device)).isEmpty();
        assertThat(thingExists(device)).isFalse();
        assertThat(certificateIds()).isEqualTo(certificatesBefore);
    }

    @Test
    void aConcurrentOnboardingThatRanksFirstWinsAndThisOneIsWithdrawnNotActivated() {
        String device = newDeviceId();
        // us-west-2 onboarded the same device at the same moment; eu-west-1 already holds its record. At an
        // equal version the higher origin region code ranks first (DeviceRecord.PRECEDENCE): us-west-2.
        DeviceRecord rival = rivalRecord(device, Region.of("us-west-2"));
        faults.onceBefore("insertRecord", () -> putRecordIn(EU, rival));
        Set<String> certificatesBefore = certificateIds();

        HttpResponse<String> response = api.onboard(newKey(), onboardBody(device));

        assertProblem(response, 409, "device-exists");
        assertThat(json(response).get("detail").asString()).contains("us-west-2");
        assertThat(record(device).orElseThrow().certificate().id())
                .isEqualTo(rival.certificate().id());
        assertThat(thingExists(device)).as("the winner's thing").isTrue();
        assertThat(certificateIds())
                .as("this request's certificate is gone; only the rival's (issued by the test) is new")
                .containsExactlyInAnyOrderElementsOf(
                        union(certificatesBefore, rival.certificate().id().value()));
    }

    @Test
    void aConcurrentOnboardingThatRanksBelowLosesAndThisOneIsConnectReady() {
        String device = newDeviceId();
        faults.onceBefore("insertRecord", () -> putRecordIn(EU, rivalRecord(device, EU)));

        HttpResponse<String> response = api.onboard(newKey(), onboardBody(device));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response);
        assertConnectReady(
                device,
                body.get("certificateId").asString(),
                body.get("certificateArn").asString());
        assertThat(record(device).orElseThrow().originRegion()).isEqualTo(US);
    }

    @Test
    void aRotationActivatesItsCertificateOnlyAfterRecordingIt() {
        String device = newDeviceId();
        JsonNode onboarded = json(api.onboard(newKey(), onboardBody(device)));
        String oldId = onboarded.get("certificateId").asString();
        String key = newKey();
        faults.failAfter("replaceRecord");

        assertProblem(
                api.send("POST", "/v1/devices/" + device + "/certificate", write(), key, null),
                503,
                "dependency-unavailable");
        DeviceRecord written = record(device).orElseThrow();
        String newId = written.certificate().id().value();
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(certificateStatus(newId)).isEqualTo(CertificateStatus.INACTIVE);
        assertThat(certificateStatus(oldId)).isEqualTo(CertificateStatus.ACTIVE);

        faults.clear();
        HttpResponse<String> retried = api.send("POST", "/v1/devices/" + device + "/certificate", write(), key, null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertConnectReady(device, newId, written.certificate().arn());
        assertThat(certificateStatus(oldId)).isEqualTo(CertificateStatus.INACTIVE);
    }

    @Test
    void aDecommissionRacingAnAttachStillSucceedsAndLeavesNoCertificateActive() {
        String device = newDeviceId();
        JsonNode onboarded = json(api.onboard(newKey(), onboardBody(device)));
        String certificateId = onboarded.get("certificateId").asString();
        String certificateArn = onboarded.get("certificateArn").asString();
        // Replication, applying the device's record, (re)activates and attaches its certificate just as the
        // decommission deletes the thing.
        faults.onceBefore("deleteThing", () -> {
            iot.updateCertificate(r -> r.certificateId(certificateId).newStatus(CertificateStatus.ACTIVE));
            iot.attachThingPrincipal(r -> r.thingName(device).principal(certificateArn));
        });

        HttpResponse<String> response = api.send("DELETE", "/v1/devices/" + device, write(), null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("status").asString()).isEqualTo("DECOMMISSIONED");
        assertThat(thingExists(device)).isFalse();
        assertThat(certificateStatus(certificateId)).isEqualTo(CertificateStatus.INACTIVE);
    }

    @Test
    void aReOnboardingDuringADecommissionKeepsItsThingAndCertificate() {
        String device = newDeviceId();
        api.onboard(newKey(), onboardBody(device));
        JsonNode[] again = new JsonNode[1];
        // The tombstone frees the id at once: a new onboarding completes while the decommission cleans up;
        // the decommission then finds a record newer than its tombstone and leaves the thing to it.
        faults.onceBefore("deleteThing", () -> again[0] = json(api.onboard(newKey(), onboardBody(device))));

        HttpResponse<String> response = api.send("DELETE", "/v1/devices/" + device, write(), null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(again[0].get("version").asLong()).isEqualTo(3);
        assertConnectReady(
                device,
                again[0].get("certificateId").asString(),
                again[0].get("certificateArn").asString());
    }

    @Test
    void aWorkingAttemptRenewsItsLeaseSoARetryWaitsInsteadOfTakingOver() throws Exception {
        String device = newDeviceId();
        String key = newKey();
        FaultInjection.Pause first = faults.pauseBefore("attachThingPrincipal");
        CompletableFuture<HttpResponse<String>> working =
                CompletableFuture.supplyAsync(() -> api.onboard(key, onboardBody(device)));
        first.awaitReached();
        clock.advance(Duration.ofSeconds(20)); // a slow call: past a third of the 30 s lease
        FaultInjection.Pause second = faults.pauseBefore("addThingToGroup");
        first.resume();
        second.awaitReached(); // it renewed its lease before this step
        clock.advance(Duration.ofSeconds(20)); // 40 s after it started: past the lease it started with

        HttpResponse<String> retry = api.onboard(key, onboardBody(device));
        second.resume();
        HttpResponse<String> done = working.get(2, TimeUnit.MINUTES);

        assertProblem(retry, 409, "request-in-progress");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        JsonNode body = json(done);
        assertConnectReady(
                device,
                body.get("certificateId").asString(),
                body.get("certificateArn").asString());
    }

    @Test
    void aDeviceDecommissionedElsewhereButNotYetHereIsRefusedUntilReplicationBringsIt() {
        String device = newDeviceId();
        api.onboard(newKey(), onboardBody(device));
        DeviceRecord live = record(device).orElseThrow();
        assertThat(api.send("DELETE", "/v1/devices/" + device, write(), null, null)
                        .statusCode())
                .isEqualTo(200); // here: tombstone v2
        // eu-west-1 meanwhile holds a later history (rotated at v2, decommissioned at v3) not replicated yet.
        DeviceRecord later = live.withRotatedCertificate(rivalRecord(device, EU).certificate(), EU, Instant.now())
                .decommissioned(EU, Instant.now());
        putRecordIn(EU, later);

        String key = newKey();
        HttpResponse<String> response = api.onboard(key, onboardBody(device));

        assertProblem(response, 409, "device-changing-elsewhere");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(response).get("detail").asString()).contains("decommissioned in eu-west-1");
        assertThat(record(device).orElseThrow().version()).isEqualTo(2);
        assertThat(thingExists(device)).isFalse();

        // Replication brings eu-west-1's history here; the same request then succeeds.
        dynamo.putItem(r -> r.tableName("devices").item(DeviceItemCodec.toItem(later)));
        HttpResponse<String> retried = api.onboard(key, onboardBody(device));
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertThat(json(retried).get("version").asLong()).isEqualTo(later.version() + 1);
    }

    @Test
    void aFailedDeleteIsToldToRepeatTheDeleteNotToReuseAnIdempotencyKey() {
        String device = newDeviceId();
        api.onboard(newKey(), onboardBody(device));
        faults.failBefore("deleteThing");

        HttpResponse<String> response = api.send("DELETE", "/v1/devices/" + device, write(), null, null);

        assertProblem(response, 503, "dependency-unavailable");
        assertThat(json(response).get("detail").asString())
                .doesNotContain("Idempotency-Key")
                .contains("repeating the DELETE");
        faults.clear();
        assertThat(api.send("DELETE", "/v1/devices/" + device, write(), null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(thingExists(device)).isFalse();
    }

    // ------------------------------------------------------------------ security

    @Test
    void withoutATokenTheAnswerIs401AsAProblem() {
        HttpResponse<String> response = api.send("POST", "/v1/devices", null, newKey(), onboardBody(newDeviceId()));
        assertProblem(response, 401, "unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void aTokenSignedWithAnotherKeyOrExpiredIs401() {
        String otherSecret = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String forged =
                TestTokens.sign("devices:write", otherSecret, Instant.now().plusSeconds(60));
        String expired = TestTokens.sign(
                "devices:write", TestTokens.SECRET, Instant.now().minusSeconds(600));
        String device = newDeviceId();

        assertProblem(api.send("POST", "/v1/devices", forged, newKey(), onboardBody(device)), 401, "unauthenticated");
        assertProblem(api.send("POST", "/v1/devices", expired, newKey(), onboardBody(device)), 401, "unauthenticated");
        assertThat(thingExists(device)).isFalse();
    }

    @Test
    void theWrongScopeIs403() {
        String device = newDeviceId();
        assertProblem(
                api.send("POST", "/v1/devices", TestTokens.token("devices:read"), newKey(), onboardBody(device)),
                403,
                "forbidden");
        assertProblem(api.send("GET", "/v1/devices", TestTokens.token("devices:write"), null, null), 403, "forbidden");
        assertProblem(
                api.send("DELETE", "/v1/devices/" + device, TestTokens.token("devices:read"), null, null),
                403,
                "forbidden");
        assertThat(thingExists(device)).isFalse();
    }

    // ------------------------------------------------------------------ bad input

    @ParameterizedTest
    @ValueSource(
            strings = {
                "malformed",
                "unknown-field",
                "bad-device-id",
                "missing-group",
                "too-many-attributes",
                "bad-attribute",
                "not-json-content-type"
            })
    void badInputIsAClearProblemAndChangesNothing(String kind) {
        String device = newDeviceId();
        String body =
                switch (kind) {
                    case "malformed" -> "{\"deviceId\":\"" + device + "\",";
                    case "unknown-field" -> "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"g\",\"admin\":true}";
                    case "bad-device-id" -> "{\"deviceId\":\"bad id/" + device + "\",\"thingGroup\":\"g\"}";
                    case "missing-group" -> "{\"deviceId\":\"" + device + "\"}";
                    case "too-many-attributes" ->
                        "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"g\",\"attributes\":{"
                                + String.join(
                                        ",",
                                        java.util.stream.IntStream.range(0, 51)
                                                .mapToObj(i -> "\"a" + i + "\":\"v\"")
                                                .toList())
                                + "}}";
                    case "bad-attribute" ->
                        "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"g\",\"attributes\":{\"x\":\"a b\"}}";
                    default -> "deviceId=" + device;
                };
        int certificates = certificateCount();

        HttpResponse<String> response = kind.equals("not-json-content-type")
                ? api.send("POST", "/v1/devices", write(), newKey(), null)
                : api.onboard(newKey(), body);

        assertThat(response.statusCode()).as(kind).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(thingExists(device)).isFalse();
        assertThat(certificateCount()).isEqualTo(certificates);
        if (kind.equals("unknown-field")) {
            assertThat(problem.get("detail").asString()).contains("admin");
        }
    }

    @Test
    void anOversizedBodyIs413() {
        String big = "{\"deviceId\":\"d\",\"thingGroup\":\"g\",\"attributes\":{\"a\":\"" + "x".repeat(20_000) + "\"}}";
        assertProblem(api.onboard(newKey(), big), 413, "payload-too-large");
    }

    @Test
    void aMissingOrInvalidIdempotencyKeyIs400() {
        String device = newDeviceId();
        assertProblem(api.send("POST", "/v1/devices", write(), null, onboardBody(device)), 400, "missing-header");
        assertProblem(
                api.send("POST", "/v1/devices", write(), "has space", onboardBody(device)), 400, "invalid-request");
        assertThat(thingExists(device)).isFalse();
    }

    @Test
    void theOpenApiDocumentIsServedAndNamesEveryEndpoint() {
        HttpResponse<String> response = api.send("GET", "/openapi.yaml", null, null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("openapi: 3.")
                .contains("/v1/devices:")
                .contains("/v1/devices/{deviceId}:")
                .contains("/v1/devices/{deviceId}/certificate:");
    }

    @Test
    void readinessAndLivenessAreOpenAndUp() {
        assertThat(api.send("GET", "/actuator/health/readiness", null, null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(api.send("GET", "/actuator/health/liveness", null, null, null)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> metrics = api.send("GET", "/actuator/prometheus", null, null, null);
        assertThat(metrics.body()).contains("iotdr_aws_calls_seconds").contains("iotdr_onboarding_requests_seconds");
    }

    // ------------------------------------------------------------------ helpers

    private CertificateStatus certificateStatus(String certificateId) {
        return iot.describeCertificate(r -> r.certificateId(certificateId))
                .certificateDescription()
                .status();
    }

    private Optional<String> claimOwner(String device) {
        var item = dynamo.getItem(r -> r.tableName("onboarding-requests")
                        .key(Map.of("pk", AttributeValue.fromS("claim#" + device)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(item.get("owner").s());
    }

    private static Set<String> union(Set<String> set, String more) {
        Set<String> all = new HashSet<>(set);
        all.add(more);
        return all;
    }

    private void putRecordIn(Region region, DeviceRecord record) {
        DynamoDbClient there = SharedLocalCloud.clients().dynamoDb(region);
        new DynamoTables(there, calls).ensureDeviceTable("devices");
        there.putItem(r -> r.tableName("devices").item(DeviceItemCodec.toItem(record)));
    }

    /** A live record of the device onboarded in {@code origin}, with a certificate of its own. */
    private DeviceRecord rivalRecord(String device, Region origin) {
        var issued = iot.createKeysAndCertificate(r -> r.setAsActive(false));
        return DeviceRecord.onboarded(
                DeviceId.of(device),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.none(),
                new DeviceCertificate(
                        CertificateId.of(issued.certificateId()),
                        issued.certificateArn(),
                        issued.certificatePem(),
                        dev.iotdr.shared.domain.CertificateStatus.ACTIVE),
                PolicyName.of("iotdr-device-policy"),
                origin,
                Instant.now());
    }

    /** Another region's live record for the device, as table copy would write it here. */
    private void putRivalRecord(String device) {
        var issued = iot.createKeysAndCertificate(r -> r.setAsActive(false));
        DeviceRecord rival = DeviceRecord.onboarded(
                DeviceId.of(device),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.none(),
                new DeviceCertificate(
                        CertificateId.of(issued.certificateId()),
                        issued.certificateArn(),
                        issued.certificatePem(),
                        dev.iotdr.shared.domain.CertificateStatus.ACTIVE),
                PolicyName.of("iotdr-device-policy"),
                Region.of("eu-west-1"),
                Instant.now());
        dynamo.putItem(r -> r.tableName("devices").item(DeviceItemCodec.toItem(rival)));
    }

    private void inject(String injection) {
        String[] parts = injection.split(":", 2);
        if (parts[0].equals("before")) {
            faults.failBefore(parts[1]);
        } else {
            faults.failAfter(parts[1]);
        }
    }

    private void assertConnectReady(String device, String certificateId, String certificateArn) {
        assertThat(iot.describeCertificate(r -> r.certificateId(certificateId))
                        .certificateDescription()
                        .status())
                .isEqualTo(CertificateStatus.ACTIVE);
        assertThat(iot.listThingPrincipals(r -> r.thingName(device)).principals())
                .contains(certificateArn);
        assertThat(iot.listAttachedPolicies(r -> r.target(certificateArn)).policies())
                .anySatisfy(policy -> assertThat(policy.policyName()).isEqualTo("iotdr-device-policy"));
    }

    private boolean thingExists(String device) {
        try {
            iot.describeThing(r -> r.thingName(device));
            return true;
        } catch (ResourceNotFoundException absent) {
            return false;
        }
    }

    private Set<String> certificateIds() {
        Set<String> ids = new HashSet<>();
        iot.listCertificatesPaginator(r -> r.pageSize(250))
                .certificates()
                .forEach(certificate -> ids.add(certificate.certificateId()));
        return ids;
    }

    private int certificateCount() {
        return certificateIds().size();
    }

    private Optional<DeviceRecord> record(String device) {
        Map<String, AttributeValue> item = rawRecord(device);
        return item.isEmpty() ? Optional.empty() : Optional.of(DeviceItemCodec.fromItem(item));
    }

    private Map<String, AttributeValue> rawRecord(String device) {
        var response = dynamo.getItem(r -> r.tableName("devices")
                .key(Map.of("deviceId", AttributeValue.fromS(device)))
                .consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("type").asString()).endsWith("/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    private static String write() {
        return TestTokens.token("devices:write devices:read");
    }

    private static String newDeviceId() {
        return "dev-" + UUID.randomUUID();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    private static String quote(String text) {
        return "\""
                + text.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n") + "\"";
    }
}
