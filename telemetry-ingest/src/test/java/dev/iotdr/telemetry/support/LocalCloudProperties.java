package dev.iotdr.telemetry.support;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.shared.domain.Region;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the service at a local cloud, as {@code ./drctl up} does, with test-friendly timings. */
public final class LocalCloudProperties {
    public static final String REGION = "us-east-1";
    /** Base64 of 32 bytes; the tests' {@code iotdr.security.jwt-secret}. */
    public static final String SECRET =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private LocalCloudProperties() {}

    public static void register(DynamicPropertyRegistry registry, LocalCloud cloud, String table, String queue) {
        registry.add("iotdr.region", () -> REGION);
        registry.add(
                "iotdr.topology",
                () -> String.join(
                        ",", cloud.regions().stream().map(Region::code).toList()));
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
        registry.add("iotdr.security.jwt-secret", () -> SECRET);
        registry.add("iotdr.telemetry.table", () -> table);
        registry.add("iotdr.telemetry.queue", () -> queue);
        registry.add("iotdr.telemetry.dead-letter-queue", () -> queue + "-dlq");
        registry.add("iotdr.telemetry.max-batch-records", () -> "50");
        registry.add("iotdr.telemetry.presence-table", () -> table + "-presence");
        // the emulator's transactions are not safe to run concurrently (as the local stack sets it)
        registry.add("iotdr.telemetry.presence-writers", () -> "1");
        registry.add("iotdr.telemetry.presence-queue", () -> queue + "-presence");
        registry.add("iotdr.telemetry.presence-dead-letter-queue", () -> queue + "-presence-dlq");
    }
}
