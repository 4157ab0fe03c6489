package dev.iotdr.telemetry.presence.adapter.in.sqs;

import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.telemetry.config.SqsQueues;
import dev.iotdr.telemetry.config.TelemetryProperties;
import dev.iotdr.telemetry.ingest.adapter.in.sqs.QueueBatchListener;
import dev.iotdr.telemetry.presence.application.PresenceStore;
import dev.iotdr.telemetry.presence.application.RecordPresence;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The presence queue (lifecycle events from the region's topic rule) and its consumer. */
@Configuration(proxyBeanMethods = false)
public class PresenceQueueConfiguration {

    @Bean
    RecordPresence recordPresence(
            PresenceStore store,
            RegionalAwsClients clients,
            RegionProperties region,
            GuardedAwsCalls calls,
            TelemetryProperties telemetry) {
        return new RecordPresence(
                store,
                SqsQueues.deadLetters(clients.sqs(region.self()), calls, telemetry.presenceDeadLetterQueue()),
                region.self(),
                telemetry.maxReceives());
    }

    @Bean
    SqsMessageListenerContainer<String> presenceQueueContainer(
            SqsAsyncClient queueClient, TelemetryProperties telemetry, RecordPresence presence) {
        return SqsQueues.consumer(
                queueClient,
                telemetry.presenceQueue(),
                telemetry.maxConcurrentMessages(),
                new QueueBatchListener(presence::fromQueue));
    }

    @Bean
    RegionResources.Resource presenceQueues(
            RegionalAwsClients clients, RegionProperties region, GuardedAwsCalls calls, TelemetryProperties telemetry) {
        return SqsQueues.queueWithDeadLetters(
                clients.sqs(region.self()), calls, telemetry.presenceQueue(), telemetry.presenceDeadLetterQueue());
    }
}
