package dev.iotdr.failover.decision.adapter.http;

import dev.iotdr.failover.decision.application.Ports.ReplicationLag;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a region's replication status from its replication service. The lag is the largest, over its
 * source regions, of the effective lag: 0 for a source whose reader is caught up (its last poll found
 * nothing new), else the newest applied record's lag; unknown if a source applied nothing and is not caught
 * up.
 */
final class HttpReplicationLag implements ReplicationLag {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<Region, URI> replication;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Duration timeout;

    HttpReplicationLag(Map<Region, URI> replication, Supplier<String> token, Duration timeout) {
        this.replication = Map.copyOf(replication);
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Optional<Duration> lagOf(Region region) {
        return call(region, "GET", "/v1/replication/status", null).flatMap(status -> {
            long worst = 0;
            for (JsonNode source : status.get("sources")) {
                long lag = source.get("effectiveLagMillis").asLong();
                if (lag < 0) {
                    return Optional.empty(); // nothing applied yet and not caught up: unknown
                }
                worst = Math.max(worst, lag);
            }
            return Optional.of(Duration.ofMillis(worst));
        });
    }

    @Override
    public Optional<Integer> driftOf(Region region) {
        return call(region, "POST", "/v1/replication/audit", "{\"repair\":false}")
                .map(report -> report.get("drift").size());
    }

    private Optional<JsonNode> call(Region region, String method, String path, String body) {
        URI base = replication.get(region);
        if (base == null) {
            return Optional.empty();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(path.contains("audit") ? Duration.ofMinutes(10) : timeout)
                .header("Authorization", "Bearer " + token.get());
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
