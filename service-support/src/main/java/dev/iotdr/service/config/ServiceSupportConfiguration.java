package dev.iotdr.service.config;

import dev.iotdr.service.aws.AwsCallSettings;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.aws.RegionalAwsClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What every service imports: its region settings, the AWS clients of its region, the guarded call edge,
 * the region resources it keeps ensured, and the clock every use case reads time from.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RegionProperties.class, AwsCallSettings.class})
public class ServiceSupportConfiguration {

    @Bean(destroyMethod = "close")
    @Primary
    RegionalAwsClients regionalAwsClients(RegionProperties properties) {
        return new RegionalAwsClients(properties.aws().toClientSettings());
    }

    @Bean
    RegionResources regionResources(List<RegionResources.Resource> resources, Clock clock) {
        return new RegionResources(resources, clock);
    }

    /** The guard of calls to this service's own region. */
    @Bean
    @Primary
    GuardedAwsCalls guardedAwsCalls(AwsCallSettings settings, MeterRegistry meters) {
        return new GuardedAwsCalls(settings, meters);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
