package dev.iotdr.onboarding.config;

import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AWS clients of this instance and the clock every use case reads time from. */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

    @Bean(destroyMethod = "close")
    RegionalAwsClients regionalAwsClients(RegionProperties properties) {
        return new RegionalAwsClients(properties.aws().toClientSettings());
    }

    @Bean
    RegionResources regionResources(List<RegionResources.Resource> resources, Clock clock) {
        return new RegionResources(resources, clock);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
