package dev.iotdr.telemetry.config;

import dev.iotdr.service.config.RegionResources;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Starts the service's queue consumers (the containers are built not to start on their own) once the region's
 * resources are ensured: a container needs its queue to exist. One runner for all of them, so the region is
 * ensured once at start, not once per queue.
 */
@Configuration(proxyBeanMethods = false)
public class QueueConsumersConfiguration {

    @Bean
    @Order(Integer.MAX_VALUE)
    ApplicationRunner queueConsumers(
            List<SqsMessageListenerContainer<?>> containers, RegionResources resources, TelemetryProperties telemetry) {
        return args -> {
            if (telemetry.listen()) {
                resources.ensureAll();
                containers.forEach(SqsMessageListenerContainer::start);
            }
        };
    }
}
