package dev.iotdr.failover.config;

import dev.iotdr.failover.decision.adapter.in.schedule.DeciderRunner;
import dev.iotdr.failover.decision.application.ApiCheck;
import dev.iotdr.failover.decision.application.DnsControl;
import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.FailoverEvents;
import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.HealthSignals;
import dev.iotdr.failover.decision.application.Leadership;
import dev.iotdr.failover.decision.application.RegionProbe;
import dev.iotdr.failover.decision.application.ReplicationLag;
import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionReadiness;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Assembles the failover use cases from their ports, explicitly. */
@Configuration(proxyBeanMethods = false)
public class FailoverConfiguration {

    @Bean
    FailoverRules failoverRules(FailoverProperties failover) {
        return new FailoverRules(failover.rpoBudget(), failover.cooldown());
    }

    @Bean
    HealthMonitor healthMonitor(RegionProperties region, FailoverProperties failover, RegionProbe probe, Clock clock) {
        return new HealthMonitor(
                region.regionTopology(), probe, failover.failuresToTrip(), failover.successesToRecover(), clock);
    }

    @Bean
    FailoverCoordinator failoverCoordinator(
            RegionProperties region,
            FailoverProperties failover,
            FailoverRules rules,
            HealthMonitor monitor,
            HealthSignals signals,
            DnsControl dns,
            ReplicationLag replication,
            ApiCheck api,
            FailoverEvents events,
            Clock clock) {
        return new FailoverCoordinator(
                region.self(),
                region.regionTopology(),
                rules,
                monitor,
                signals,
                dns,
                replication,
                api,
                events,
                failover.firstRequestWithin(),
                failover.warmUp(),
                clock);
    }

    /** Health per region (1 healthy, 0 unknown, -1 unhealthy), whether this region is active, failovers. */
    @Bean
    MeterBinder failoverMeters(FailoverCoordinator coordinator, RegionProperties region) {
        return meters -> {
            for (var each : region.regionTopology().regions()) {
                Gauge.builder("iotdr.failover.region.health", coordinator, c -> switch (c.health()
                                .get(each)
                                .status()) {
                            case HEALTHY -> 1;
                            case UNKNOWN -> 0;
                            case UNHEALTHY -> -1;
                        })
                        .tag("region", each.code())
                        .register(meters);
                Gauge.builder("iotdr.failover.region.active", coordinator, c -> c.dnsState()
                                .map(s -> s.active().equals(each) ? 1 : 0)
                                .orElse(0))
                        .tag("region", each.code())
                        .register(meters);
            }
        };
    }

    /** Ready when this region's timeline and lock tables answer (healed if the region came back empty). */
    @Bean("region")
    RegionReadiness regionReadiness(
            RegionalAwsClients clients,
            RegionProperties region,
            FailoverProperties failover,
            RegionResources resources,
            Clock clock) {
        var dynamo = clients.dynamoDb(region.self());
        return new RegionReadiness(
                region.region(),
                java.util.List.of(
                        () -> dynamo.describeTable(r -> r.tableName(failover.eventsTable())),
                        () -> dynamo.describeTable(r -> r.tableName(failover.lockTable()))),
                resources,
                clock);
    }

    @Bean
    DeciderRunner deciderRunner(
            FailoverCoordinator coordinator,
            Leadership leadership,
            HealthMonitor monitor,
            FailoverProperties failover,
            MeterRegistry meters) {
        return new DeciderRunner(coordinator, leadership, monitor, failover.probeInterval(), meters);
    }
}
