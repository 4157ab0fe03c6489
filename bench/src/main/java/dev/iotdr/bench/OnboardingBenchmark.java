package dev.iotdr.bench;

import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * Onboards N devices with concurrency C through the onboarding service of the running local stack, and in
 * the same run makes the same AWS calls directly with the SDK (no service, no pacing: the emulator's own
 * limit). Prints devices/s, p50 and p99 of both and their ratios.
 *
 * <p>Usage: {@code ./drctl bench onboarding [--devices N] [--concurrency C] [--region R]}.
 */
public final class OnboardingBenchmark {
    private static final int WARMUP = 10;

    private OnboardingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(option(args, "--devices", "200"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "8"));
        Region region = Region.of(option(args, "--region", "us-east-1"));
        LocalStackState stack = LocalStackState.read(Path.of(option(args, "--state-dir", ".drctl")));
        String run = UUID.randomUUID().toString().substring(0, 8);

        Map<Region, URI> endpoints = new java.util.HashMap<>();
        stack.regions()
                .forEach((code, node) -> endpoints.put(
                        Region.of(code), URI.create(node.get("emulator").asString())));
        try (RegionalAwsClients clients =
                new RegionalAwsClients(AwsClientSettings.emulated(endpoints, stack.globalEmulator()))) {
            Direct direct = new Direct(clients.iot(region), clients.dynamoDb(region), region);
            direct.prepare();
            Service service = new Service(
                    stack.url(region.code(), "onboarding"),
                    LocalStackTokens.token(stack.secret("jwt-secret"), "devices:write"));

            System.out.printf(
                    "onboarding benchmark: %d devices, concurrency %d, region %s, run %s%n",
                    devices, concurrency, region, run);
            measure("warm-up direct", WARMUP, concurrency, i -> direct.onboard("bench-warm-d-" + run + "-" + i));
            measure("warm-up service", WARMUP, concurrency, i -> service.onboard("bench-warm-s-" + run + "-" + i));

            LatencySummary baseline = measure(
                    "direct SDK calls (no service)",
                    devices,
                    concurrency,
                    i -> direct.onboard("bench-d-" + run + "-" + i));
            LatencySummary through = measure(
                    "onboarding service (paced)",
                    devices,
                    concurrency,
                    i -> service.onboard("bench-s-" + run + "-" + i));

            System.out.println();
            System.out.println(baseline.line());
            System.out.println(through.line());
            System.out.printf(
                    "ratio service/direct: throughput %.2f, p50 %.2fx, p99 %.2fx%n",
                    through.perSecond() / baseline.perSecond(),
                    (double) through.p50Micros() / Math.max(1, baseline.p50Micros()),
                    (double) through.p99Micros() / Math.max(1, baseline.p99Micros()));
            System.out.printf(
                    "pacing ceiling of the service at default quotas: %.0f devices/s (CreateKeysAndCertificate and "
                            + "UpdateCertificate, 10 TPS each)%n",
                    10.0);
            if (baseline.failures() > 0 || through.failures() > 0) {
                System.exit(1);
            }
        }
    }

    private static LatencySummary measure(String name, int count, int concurrency, IntConsumer onboard)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    try {
                        onboard.accept(index);
                        latencies.add((System.nanoTime() - began) / 1000);
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.err.println(name + ": " + e.getMessage());
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return LatencySummary.of(name, latencies, failures.get(), Duration.between(start, Instant.now()));
    }

    /** The AWS calls one onboarding makes, straight to the emulator. */
    private record Direct(IotClient iot, DynamoDbClient dynamo, Region region) {
        static final String TABLE = "bench-devices";
        static final String GROUP = "bench";
        static final String POLICY = "iotdr-device-policy";
        static final String THING_TYPE = "iotdr-device";

        void prepare() {
            try {
                dynamo.createTable(r -> r.tableName(TABLE)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName("deviceId")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(KeySchemaElement.builder()
                                .attributeName("deviceId")
                                .keyType(KeyType.HASH)
                                .build()));
            } catch (ResourceInUseException exists) {
                // from an earlier run
            }
            try {
                iot.createThingGroup(r -> r.thingGroupName(GROUP));
            } catch (ResourceAlreadyExistsException exists) {
                // from an earlier run
            }
        }

        void onboard(String device) {
            iot.describeThingGroup(r -> r.thingGroupName(GROUP));
            CreateKeysAndCertificateResponse keys = iot.createKeysAndCertificate(r -> r.setAsActive(false));
            iot.attachPolicy(r -> r.policyName(POLICY).target(keys.certificateArn()));
            iot.createThing(r -> r.thingName(device)
                    .thingTypeName(THING_TYPE)
                    .attributePayload(a -> a.attributes(Map.of("model", "bench"))));
            iot.attachThingPrincipal(r -> r.thingName(device).principal(keys.certificateArn()));
            iot.addThingToThingGroup(r -> r.thingName(device).thingGroupName(GROUP));
            iot.updateCertificate(r -> r.certificateId(keys.certificateId()).newStatus("ACTIVE"));
            Instant now = Instant.now();
            DeviceRecord record = DeviceRecord.onboarded(
                    DeviceId.of(device),
                    Set.of(ThingGroupName.of(GROUP)),
                    ThingAttributes.of(Map.of("model", "bench")),
                    new DeviceCertificate(
                            CertificateId.of(keys.certificateId()),
                            keys.certificateArn(),
                            keys.certificatePem(),
                            CertificateStatus.ACTIVE),
                    PolicyName.of(POLICY),
                    region,
                    now);
            dynamo.putItem(r -> r.tableName(TABLE)
                    .item(DeviceItemCodec.toItem(record))
                    .conditionExpression("attribute_not_exists(deviceId)"));
        }
    }

    /** One onboarding through the service's API. */
    private record Service(URI base, String token) {
        static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        void onboard(String device) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/devices"))
                    .header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", "bench-" + device)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + device
                            + "\",\"thingGroup\":\"bench\",\"attributes\":{\"model\":\"bench\"}}"))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
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
