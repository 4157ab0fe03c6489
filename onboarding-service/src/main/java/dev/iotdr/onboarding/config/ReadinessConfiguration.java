package dev.iotdr.onboarding.config;

import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionReadiness;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Onboarding is ready in its region when its tables and the device policy answer there. */
@Configuration(proxyBeanMethods = false)
public class ReadinessConfiguration {

    @Bean("region")
    RegionReadiness regionReadiness(
            RegionalAwsClients clients,
            RegionProperties region,
            OnboardingProperties onboarding,
            RegionResources resources,
            Clock clock) {
        var dynamo = clients.dynamoDb(region.self());
        var iot = clients.iot(region.self());
        return new RegionReadiness(
                region.region(),
                List.of(
                        () -> dynamo.describeTable(r -> r.tableName(onboarding.deviceTable())),
                        () -> dynamo.describeTable(r -> r.tableName(onboarding.requestsTable())),
                        () -> iot.getPolicy(r -> r.policyName(onboarding.devicePolicy()))),
                resources,
                clock);
    }
}
