package dev.iotdr.service.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of this region for a service: its checks (a table answers, a policy exists, ...) pass. A region
 * that answers but lacks what the service needs (restored from scratch) is healed through
 * {@link RegionResources} and checked again. Part of the readiness group, which the load balancer and the
 * failover service probe; cached briefly so probes do not load AWS.
 */
public final class RegionReadiness implements HealthIndicator {
    private static final Duration CACHE = Duration.ofSeconds(1);

    private final String region;
    private final List<Runnable> checks;
    private final RegionResources resources;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;

    public RegionReadiness(String region, List<Runnable> checks, RegionResources resources, Clock clock) {
        this.region = region;
        this.checks = List.copyOf(checks);
        this.resources = resources;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(lastAt.plus(CACHE))) {
            return last;
        }
        Health current;
        try {
            try {
                checks.forEach(Runnable::run);
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException
                    | software.amazon.awssdk.services.iot.model.ResourceNotFoundException
                    | software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException missing) {
                if (!resources.heal()) {
                    throw missing;
                }
                checks.forEach(Runnable::run);
            }
            current = Health.up().withDetail("region", region).build();
        } catch (RuntimeException e) {
            current = Health.down()
                    .withDetail("region", region)
                    .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .build();
        }
        last = current;
        lastAt = now;
        return current;
    }
}
