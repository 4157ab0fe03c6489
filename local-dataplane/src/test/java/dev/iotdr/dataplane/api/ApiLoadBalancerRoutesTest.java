package dev.iotdr.dataplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiLoadBalancerRoutesTest {
    private static final URI ONBOARDING = URI.create("http://127.0.0.1:1001");
    private static final URI TELEMETRY = URI.create("http://127.0.0.1:1002");
    private static final Map<String, URI> ROUTES = ApiLoadBalancer.ordered(Map.of(
            "/v1/devices", ONBOARDING,
            "/v1/telemetry", TELEMETRY,
            "/v1/fleet", TELEMETRY,
            "/v1/devices/*/telemetry", TELEMETRY));

    @Test
    void aDevicesTelemetryGoesToTelemetryAndEverythingElseOfADeviceToOnboarding() {
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devices/sensor-1/telemetry"))
                .contains(TELEMETRY);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devices/sensor-1")).contains(ONBOARDING);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devices/sensor-1/rotations"))
                .contains(ONBOARDING);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devices")).contains(ONBOARDING);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/fleet/presence")).contains(TELEMETRY);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/telemetry/batches")).contains(TELEMETRY);
    }

    @Test
    void aWildcardStandsForExactlyOneNonEmptySegmentAndPrefixesEndAtSegments() {
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devices//telemetry")).contains(ONBOARDING);
        assertThat(ApiLoadBalancer.target(ROUTES, "/v1/devicesX")).isEqualTo(Optional.empty());
        assertThat(ApiLoadBalancer.target(ROUTES, "/actuator/health")).isEqualTo(Optional.empty());
        assertThat(ApiLoadBalancer.matches("/v1/devices/*/telemetry", "/v1/devices/a/telemetry/x"))
                .isTrue();
        assertThat(ApiLoadBalancer.matches("/v1/devices/*/telemetry", "/v1/devices/a/b/telemetry"))
                .isFalse();
    }
}
