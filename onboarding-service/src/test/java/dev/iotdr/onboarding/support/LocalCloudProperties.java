package dev.iotdr.onboarding.support;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.shared.domain.Region;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the service at a local cloud, as {@code ./drctl up} does, with test-friendly timings. */
public final class LocalCloudProperties {
    public static final String REGION = "us-east-1";
    public static final String ENCRYPTION_KEY =
            Base64.getEncoder().encodeToString("a-test-only-aes-key-of-32-bytes!".getBytes());

    private LocalCloudProperties() {}

    public static void register(DynamicPropertyRegistry registry, LocalCloud cloud) {
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
        registry.add("iotdr.onboarding.private-key-encryption-key", () -> ENCRYPTION_KEY);
        // moto issues certificates from a CSR for another key; AWS never does (see README).
        registry.add("iotdr.onboarding.verify-issued-certificate-key", () -> "false");
        registry.add("iotdr.onboarding.recovery-interval", () -> "1h");
        registry.add("iotdr.onboarding.max-request-bytes", () -> "16384");
        registry.add("iotdr.security.jwt-secret", () -> TestTokens.SECRET);
    }
}
