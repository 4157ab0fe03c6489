package dev.iotdr.onboarding.devices;

import static dev.iotdr.onboarding.support.OnboardingApi.json;
import static dev.iotdr.onboarding.support.OnboardingApi.onboardBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudConfig;
import dev.iotdr.onboarding.support.LocalCloudProperties;
import dev.iotdr.onboarding.support.OnboardingApi;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service's own region goes down for real: it answers 503 with Retry-After at once, and recovers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OnboardingRegionOutageIntegrationTest {
    private static final Region US = Region.of(LocalCloudProperties.REGION);
    private static LocalCloud cloud;

    @DynamicPropertySource
    static void privateCloud(DynamicPropertyRegistry registry) {
        cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
        LocalCloudProperties.register(registry, cloud);
    }

    @AfterAll
    static void stopCloud() {
        cloud.close();
    }

    @LocalServerPort
    int port;

    @Test
    void whileTheRegionIsDownOnboardingAnswers503WithRetryAfterAndReadinessIsDownThenBothRecover() {
        OnboardingApi api = new OnboardingApi(URI.create("http://127.0.0.1:" + port));
        String device = "outage-" + UUID.randomUUID();
        String key = "key-" + UUID.randomUUID();

        cloud.stopRegion(US);
        HttpResponse<String> during = api.onboard(key, onboardBody(device));
        HttpResponse<String> readiness = api.send("GET", "/actuator/health/readiness", null, null, null);
        HttpResponse<String> liveness = api.send("GET", "/actuator/health/liveness", null, null, null);

        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(during).get("detail").asString()).contains("retry with the same Idempotency-Key");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(liveness.statusCode()).as("the process itself is fine").isEqualTo(200);

        cloud.startRegion(US); // comes back empty, like a region rebuilt from scratch

        assertThat(eventually(() -> api.send("GET", "/actuator/health/readiness", null, null, null)
                                .statusCode()
                        == 200))
                .as("readiness heals the empty region (tables, policy, thing type)")
                .isTrue();
        HttpResponse<String> after = api.onboard(key, onboardBody(device));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        assertThat(json(after).get("deviceId").asString()).isEqualTo(device);
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
