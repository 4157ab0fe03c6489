package dev.iotdr.bench;

import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.iot.IotClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replication lag and bulk re-sync, against the running local stack.
 *
 * <p>Lag: devices are onboarded in the source region at a steady rate; for each, the time from the
 * onboarding answer (the record is written) to connect-ready in the target region (thing with the
 * certificate attached, certificate ACTIVE, policy attached), checked straight against the target's
 * emulator so the probe does not use the replication service's paced quota. Baseline in the same run: the
 * same registry calls made directly against the target, which is the floor any replication adds to.
 *
 * <p>Re-sync: the target's {@code POST /v1/replication/resync}; devices/s as a share of the quota-bound
 * maximum (RegisterCertificateWithoutCA, 10 TPS, one per device).
 *
 * <p>Usage: {@code ./drctl bench replication [--devices N] [--rate PER_SECOND] [--from R] [--to R]}.
 */
public final class ReplicationBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final double QUOTA_BOUND_PER_SECOND = 10.0;

    private ReplicationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(option(args, "--devices", "100"));
        double rate = Double.parseDouble(option(args, "--rate", "5"));
        Region from = Region.of(option(args, "--from", "us-east-1"));
        Region to = Region.of(option(args, "--to", "eu-west-1"));
        LocalStackState stack = LocalStackState.read(Path.of(option(args, "--state-dir", ".drctl")));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<Region, URI> endpoints = new HashMap<>();
        stack.regions()
                .forEach((code, node) -> endpoints.put(
                        Region.of(code), URI.create(node.get("emulator").asString())));

        try (RegionalAwsClients clients =
                new RegionalAwsClients(AwsClientSettings.emulated(endpoints, stack.globalEmulator()))) {
            IotClient target = clients.iot(to);
            String writeToken = LocalStackTokens.token(stack.secret("jwt-secret"), "devices:write ops:read ops:write");
            URI onboarding = stack.url(from.code(), "onboarding");
            URI replication = stack.url(to.code(), "replication");
            System.out.printf(
                    "replication benchmark: %d devices at %.1f/s, %s -> %s, run %s%n", devices, rate, from, to, run);

            LatencySummary baseline = directApplies(target, clients.iot(from), Math.min(devices, 50), run);

            Map<String, Long> writtenAt = new LinkedHashMap<>();
            Map<String, String> arns = new HashMap<>();
            List<Long> lags = new ArrayList<>();
            long start = System.nanoTime();
            long intervalNanos = (long) (1_000_000_000L / rate);
            int next = 0;
            int failures = 0;
            while (lags.size() + failures < devices) {
                long now = System.nanoTime();
                if (next < devices && now >= start + next * intervalNanos) {
                    String device = "bench-rep-" + run + "-" + next++;
                    JsonNode answer = onboard(onboarding, writeToken, device);
                    writtenAt.put(device, System.nanoTime());
                    arns.put(
                            device,
                            answer.get("certificateArn")
                                    .asString()
                                    .replace(":" + from.code() + ":", ":" + to.code() + ":"));
                }
                for (var entry : new ArrayList<>(writtenAt.entrySet())) {
                    String device = entry.getKey();
                    if (connectReady(target, device, arns.get(device))) {
                        lags.add((System.nanoTime() - entry.getValue()) / 1000);
                        writtenAt.remove(device);
                    } else if (System.nanoTime() - entry.getValue()
                            > Duration.ofSeconds(120).toNanos()) {
                        failures++;
                        writtenAt.remove(device);
                    }
                }
                Thread.sleep(20);
            }
            LatencySummary lag = LatencySummary.of(
                    "lag: written -> ready in " + to, lags, failures, Duration.ofNanos(System.nanoTime() - start));

            JsonNode resync =
                    awaitJob(replication, post(replication.resolve("/v1/replication/resync"), writeToken), writeToken);
            double perSecond = resync.get("devicesAppliedPerSecond").asDouble();

            System.out.println();
            System.out.println(baseline.line());
            System.out.println(lag.line());
            System.out.printf(
                    "lag ratio to the direct apply: p50 %.2fx, p99 %.2fx%n",
                    (double) lag.p50Micros() / Math.max(1, baseline.p50Micros()),
                    (double) lag.p99Micros() / Math.max(1, baseline.p99Micros()));
            System.out.printf(
                    "re-sync of %s: %d devices in %.1f s = %.2f devices/s = %.2f of the quota-bound %.0f/s (%d failed)%n",
                    to,
                    resync.get("counts").get("applied").asInt(),
                    resync.get("seconds").asDouble(),
                    perSecond,
                    perSecond / QUOTA_BOUND_PER_SECOND,
                    QUOTA_BOUND_PER_SECOND,
                    resync.get("counts").get("failed").asInt());
            if (failures > 0
                    || resync.get("counts").get("failed").asInt() > 0
                    || !"SUCCEEDED".equals(resync.get("state").asString())) {
                System.exit(1);
            }
        }
    }

    /** The registry calls replication makes for one new device, straight to the target emulator. */
    private static LatencySummary directApplies(IotClient target, IotClient source, int count, String run) {
        List<Long> latencies = new ArrayList<>();
        try {
            target.createThingGroup(r -> r.thingGroupName("sensors"));
        } catch (software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException exists) {
            // replicated already
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var issued = source.createKeysAndCertificate(r -> r.setAsActive(true));
            String thing = "bench-direct-" + run + "-" + i;
            long began = System.nanoTime();
            target.describeThingGroup(r -> r.thingGroupName("sensors"));
            target.createThing(r -> r.thingName(thing)
                    .thingTypeName("iotdr-device")
                    .attributePayload(a -> a.attributes(Map.of("model", "th-200"))));
            var registered = target.registerCertificateWithoutCA(
                    r -> r.certificatePem(issued.certificatePem()).status("ACTIVE"));
            target.attachPolicy(r -> r.policyName("iotdr-device-policy").target(registered.certificateArn()));
            target.attachThingPrincipal(r -> r.thingName(thing).principal(registered.certificateArn()));
            target.addThingToThingGroup(r -> r.thingName(thing).thingGroupName("sensors"));
            latencies.add((System.nanoTime() - began) / 1000);
        }
        return LatencySummary.of(
                "baseline: direct apply calls", latencies, 0, Duration.ofNanos(System.nanoTime() - start));
    }

    static boolean connectReady(IotClient target, String device, String arn) {
        try {
            if (!target.listThingPrincipals(r -> r.thingName(device))
                    .principals()
                    .contains(arn)) {
                return false;
            }
            String id = arn.substring(arn.lastIndexOf('/') + 1);
            return "ACTIVE"
                            .equals(target.describeCertificate(r -> r.certificateId(id))
                                    .certificateDescription()
                                    .statusAsString())
                    && !target.listAttachedPolicies(r -> r.target(arn))
                            .policies()
                            .isEmpty();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    static JsonNode onboard(URI base, String token, String device) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/devices"))
                        .header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", "bench-" + device)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"deviceId\":\"" + device + "\",\"thingGroup\":\"sensors\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "onboarding " + device + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode post(URI uri, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofMinutes(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(uri + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Polls a replication job until it ends; returns it as last seen. */
    static JsonNode awaitJob(URI replication, JsonNode started, String token) throws Exception {
        URI job =
                replication.resolve("/v1/replication/jobs/" + started.get("id").asString());
        while (true) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(job)
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode seen = JSON.readTree(response.body());
            if (response.statusCode() == 200
                    && !"RUNNING".equals(seen.get("state").asString())) {
                return seen;
            }
            Thread.sleep(500);
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
