package dev.iotdr.failover.decision.adapter.out.sqs;

import dev.iotdr.failover.config.FailoverProperties;
import dev.iotdr.failover.decision.application.HealthCheckRegions;
import dev.iotdr.failover.decision.application.HealthSignals;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Route 53 health-event queue of this region. */
@Configuration(proxyBeanMethods = false)
public class SqsConfiguration {

    @Bean
    HealthSignals healthSignals(
            RegionalAwsClients clients,
            RegionProperties region,
            FailoverProperties failover,
            HealthCheckRegions checks,
            Clock clock) {
        return new SqsHealthSignals(clients.sqs(region.self()), failover.healthQueue(), checks, clock);
    }
}
