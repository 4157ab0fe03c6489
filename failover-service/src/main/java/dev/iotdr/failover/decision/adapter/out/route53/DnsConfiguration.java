package dev.iotdr.failover.decision.adapter.out.route53;

import dev.iotdr.failover.config.FailoverProperties;
import dev.iotdr.failover.decision.application.HealthCheckRegions;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Route 53. Each region's IoT data endpoint is asked once and remembered (the emulator returns a
 * new address on every call; real IoT returns the same one).
 */
@Configuration(proxyBeanMethods = false)
public class DnsConfiguration {

    @Bean
    Route53Dns route53Dns(
            RegionalAwsClients clients, RegionProperties region, FailoverProperties failover, Clock clock) {
        Map<Region, String> apiTargets = new HashMap<>();
        for (Region each : region.regionTopology().regions()) {
            FailoverProperties.RegionEndpoints endpoints = failover.regions().get(each.code());
            apiTargets.put(
                    each,
                    endpoints != null && endpoints.apiTarget() != null
                            ? endpoints.apiTarget()
                            : "api-" + each.code() + "." + region.fleetDomain().name());
        }
        Map<Region, String> iotEndpoints = new ConcurrentHashMap<>();
        return new Route53Dns(
                clients.route53(region.self()),
                region.fleetDomain(),
                region.regionTopology(),
                apiTargets,
                each -> iotEndpoints.computeIfAbsent(each, r -> clients.iot(r)
                        .describeEndpoint(request -> request.endpointType("iot:Data-ATS"))
                        .endpointAddress()),
                failover.ttl(),
                clock);
    }

    @Bean
    HealthCheckRegions healthCheckRegions(Route53Dns dns) {
        return dns::healthCheckRegions;
    }
}
