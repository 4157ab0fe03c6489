package dev.iotdr.failover.decision.adapter.out.http;

import dev.iotdr.failover.decision.application.ApiCheck;
import dev.iotdr.failover.decision.application.ProbeResult;
import dev.iotdr.failover.decision.application.RegionProbe;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Probes a region the way a device and an app would need it: its onboarding service answers readiness,
 * IoT's control plane answers, DynamoDB answers. Any failure fails the probe. Uses clients with short
 * timeouts and no retries, so a dead region fails the probe at once.
 */
final class HttpRegionProbe implements RegionProbe, ApiCheck {
    private final Map<Region, URI> onboarding;
    private final RegionalAwsClients probeClients;
    private final String deviceTable;
    private final Duration timeout;
    private final HttpClient http;

    HttpRegionProbe(
            Map<Region, URI> onboarding, RegionalAwsClients probeClients, String deviceTable, Duration timeout) {
        this.onboarding = Map.copyOf(onboarding);
        this.probeClients = probeClients;
        this.deviceTable = deviceTable;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public ProbeResult probe(Region region) {
        List<String> failures = new ArrayList<>();
        if (!serves(region)) {
            failures.add("onboarding readiness");
        }
        try {
            probeClients.iot(region).listThingTypes(r -> r.maxResults(1));
        } catch (RuntimeException e) {
            failures.add("iot: " + e.getClass().getSimpleName());
        }
        try {
            probeClients.dynamoDb(region).describeTable(r -> r.tableName(deviceTable));
        } catch (RuntimeException e) {
            failures.add("dynamodb: " + e.getClass().getSimpleName());
        }
        return new ProbeResult(failures.isEmpty(), failures.isEmpty() ? "ok" : String.join(", ", failures));
    }

    @Override
    public boolean serves(Region region) {
        URI base = onboarding.get(region);
        if (base == null) {
            return false;
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                                            .timeout(timeout)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
