package dev.iotdr.onboarding.config;

import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of this region for onboarding: IoT and the tables answer, and hold what we need (a region that
 * answers but was restored empty is healed through {@link RegionResources}). Part of the readiness group,
 * which the load balancer and the failover service probe. Cached briefly so probes do not load AWS.
 */
@Component("region")
class RegionReadiness implements HealthIndicator {
    private static final Duration CACHE = Duration.ofSeconds(1);

    private final RegionalAwsClients clients;
    private final RegionProperties region;
    private final OnboardingProperties onboarding;
    private final Clock clock;
    private final RegionResources resources;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;

    RegionReadiness(
            RegionalAwsClients clients,
            RegionProperties region,
            OnboardingProperties onboarding,
            Clock clock,
            RegionResources resources) {
        this.resources = resources;
        this.clients = clients;
        this.region = region;
        this.onboarding = onboarding;
        this.clock = clock;
    }

    private void check() {
        clients.dynamoDb(region.self()).describeTable(r -> r.tableName(onboarding.deviceTable()));
        clients.dynamoDb(region.self()).describeTable(r -> r.tableName(onboarding.requestsTable()));
        clients.iot(region.self()).getPolicy(r -> r.policyName(onboarding.devicePolicy()));
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
                check();
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException
                    | software.amazon.awssdk.services.iot.model.ResourceNotFoundException missing) {
                // The region answers but lacks what we need (restored from scratch): ensure it, then look again.
                if (!resources.heal()) {
                    throw missing;
                }
                check();
            }
            current = Health.up().withDetail("region", region.region()).build();
        } catch (RuntimeException e) {
            current = Health.down()
                    .withDetail("region", region.region())
                    .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .build();
        }
        last = current;
        lastAt = now;
        return current;
    }
}
