package dev.iotdr.telemetry.config;

import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionReadiness;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Ingest is ready in its region when its tables and queues answer there (an emptied region is healed). */
@Configuration(proxyBeanMethods = false)
public class ReadinessConfiguration {

    @Bean("region")
    RegionReadiness regionReadiness(
            RegionalAwsClients clients,
            RegionProperties region,
            TelemetryProperties telemetry,
            RegionResources resources,
            Clock clock) {
        var dynamo = clients.dynamoDb(region.self());
        var sqs = clients.sqs(region.self());
        return new RegionReadiness(
                region.region(),
                List.of(
                        () -> dynamo.describeTable(r -> r.tableName(telemetry.table())),
                        () -> sqs.getQueueUrl(r -> r.queueName(telemetry.queue())),
                        () -> dynamo.describeTable(r -> r.tableName(telemetry.presenceTable())),
                        () -> sqs.getQueueUrl(r -> r.queueName(telemetry.presenceQueue()))),
                resources,
                clock);
    }
}
