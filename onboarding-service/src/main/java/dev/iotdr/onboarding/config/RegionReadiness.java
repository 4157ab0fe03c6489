package dev.iotdr.onboarding.config;

import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of this region for onboarding: IoT and the device table answer. Part of the readiness group,
 * which the load balancer and the failover service probe. Cached briefly so probes do not load AWS.
 */
@Component("region")
class RegionReadiness implements HealthIndicator {
    private static final Duration CACHE = Duration.ofSeconds(1);

    private final RegionalAwsClients clients;
    private final RegionProperties region;
    private final OnboardingProperties onboarding;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;

    RegionReadiness(RegionalAwsClients clients, RegionProperties region, OnboardingProperties onboarding, Clock clock) {
        this.clients = clients;
        this.region = region;
        this.onboarding = onboarding;
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
            clients.dynamoDb(region.self()).describeTable(r -> r.tableName(onboarding.deviceTable()));
            clients.iot(region.self()).getPolicy(r -> r.policyName(onboarding.devicePolicy()));
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
