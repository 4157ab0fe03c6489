package dev.iotdr.failover.decision.adapter.out.http;

import dev.iotdr.failover.decision.application.Audit;
import dev.iotdr.failover.decision.application.ReplicationLag;
import dev.iotdr.failover.decision.application.ReplicationView;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a region's replication status from its replication service: over its source regions, the oldest
 * time up to which everything is applied and the largest shared lag (which grows while a reader fails);
 * unknown when any source's is unknown or the service cannot answer. Drift comes from an audit job, waited
 * for at most a bounded time.
 */
final class HttpReplicationLag implements ReplicationLag {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<Region, URI> replication;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration auditWithin;

    HttpReplicationLag(Map<Region, URI> replication, Supplier<String> token, Duration timeout, Duration auditWithin) {
        this.replication = Map.copyOf(replication);
        this.token = token;
        this.timeout = timeout;
        this.auditWithin = auditWithin;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Optional<ReplicationView> viewOf(Region region) {
        return call(region, "GET", "/v1/replication/status", null).flatMap(status -> {
            if (status.get("sources") == null || !status.get("sources").isArray()) {
                return Optional.empty(); // not a status we understand: unknown, never "no lag"
            }
            long worst = 0;
            Instant oldest = null;
            Set<Region> sources = new HashSet<>();
            for (JsonNode source : status.get("sources")) {
                JsonNode lag = source.get("lagMillis");
                JsonNode appliedUpTo = source.get("appliedUpTo");
                if (lag == null || lag.isNull() || appliedUpTo == null || appliedUpTo.isNull()) {
                    return Optional.empty(); // unknown (the status says why in lagUnknownBecause)
                }
                worst = Math.max(worst, lag.asLong());
                Instant applied = Instant.parse(appliedUpTo.asString());
                oldest = oldest == null || applied.isBefore(oldest) ? applied : oldest;
                sources.add(Region.of(source.get("region").asString()));
            }
            return oldest == null
                    ? Optional.empty()
                    : Optional.of(new ReplicationView(oldest, sources, Duration.ofMillis(worst)));
        });
    }

    @Override
    public Audit audit(Region region) {
        long began = System.nanoTime();
        Optional<JsonNode> started = call(region, "POST", "/v1/replication/audit", "{\"repair\":false}");
        if (started.isEmpty()) {
            return new Audit(Optional.empty(), "UNAVAILABLE", since(began), Optional.empty());
        }
        String job = started.get().path("id").asString("");
        if (job.isEmpty()) {
            return new Audit(Optional.empty(), "UNAVAILABLE", since(began), Optional.empty());
        }
        long deadline = began + auditWithin.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> seen = call(region, "GET", "/v1/replication/jobs/" + job, null);
            String state =
                    seen.map(answer -> answer.path("state").asString("RUNNING")).orElse("RUNNING");
            if (!"RUNNING".equals(state)) {
                JsonNode drift = seen.get().path("counts").path("drift");
                Optional<Integer> counted =
                        "SUCCEEDED".equals(state) && drift.isNumber() ? Optional.of(drift.asInt()) : Optional.empty();
                if ("SUCCEEDED".equals(state) && counted.isEmpty()) {
                    state = "UNAVAILABLE"; // an answer we cannot read: unknown, never "no drift"
                }
                return new Audit(Optional.of(job), state, since(began), counted);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // not finished in time: the drift is unknown, never "no drift"
        return new Audit(Optional.of(job), "TIMED_OUT", since(began), Optional.empty());
    }

    private static Duration since(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    private Optional<JsonNode> call(Region region, String method, String path, String body) {
        URI base = replication.get(region);
        if (base == null) {
            return Optional.empty();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.get());
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
