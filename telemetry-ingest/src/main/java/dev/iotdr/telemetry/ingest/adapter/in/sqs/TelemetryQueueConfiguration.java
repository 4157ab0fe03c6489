package dev.iotdr.telemetry.ingest.adapter.in.sqs;

import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.telemetry.config.SqsQueues;
import dev.iotdr.telemetry.config.TelemetryProperties;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The telemetry queue and its consumer (Spring Cloud AWS's listener container); the queues ensured at start and
 * when the region was emptied. The asynchronous SQS client the container needs is configured where every other
 * client is ({@link RegionalAwsClients#configure}).
 */
@Configuration(proxyBeanMethods = false)
public class TelemetryQueueConfiguration {

    @Bean(destroyMethod = "close")
    SqsAsyncClient queueClient(RegionalAwsClients clients, RegionProperties region) {
        return clients.configure(AwsService.SQS, region.self(), SqsAsyncClient.builder())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(50))
                .build();
    }

    @Bean
    SqsMessageListenerContainer<String> telemetryQueueContainer(
            SqsAsyncClient queueClient, TelemetryProperties telemetry, IngestTelemetry ingest) {
        return SqsQueues.consumer(
                queueClient,
                telemetry.queue(),
                telemetry.maxConcurrentMessages(),
                new QueueBatchListener(ingest::fromQueue));
    }

    @Bean
    RegionResources.Resource telemetryQueues(
            RegionalAwsClients clients, RegionProperties region, GuardedAwsCalls calls, TelemetryProperties telemetry) {
        return SqsQueues.queueWithDeadLetters(
                clients.sqs(region.self()), calls, telemetry.queue(), telemetry.deadLetterQueue());
    }
}
