package dev.iotdr.telemetry.ingest.adapter.out.dynamodb;

import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.telemetry.config.TelemetryProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hot store in this region: its table (ensured at start and when the region was emptied) and its adapter. */
@Configuration(proxyBeanMethods = false)
public class TelemetryStoreConfiguration {

    @Bean
    DynamoTelemetryStore telemetryStore(
            RegionalAwsClients clients,
            RegionProperties region,
            GuardedAwsCalls calls,
            TelemetryProperties telemetry,
            Clock clock,
            org.springframework.beans.factory.ObjectProvider<RegionResources> resources) {
        return new DynamoTelemetryStore(
                clients.dynamoDb(region.self()), calls, telemetry.table(), telemetry.retention(), clock, () -> resources
                        .getObject()
                        .heal());
    }

    @Bean
    RegionResources.Resource telemetryTable(
            RegionalAwsClients clients, RegionProperties region, GuardedAwsCalls calls, TelemetryProperties telemetry) {
        DynamoTables tables = new DynamoTables(clients.dynamoDb(region.self()), calls);
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "DynamoDB table " + telemetry.table();
            }

            @Override
            public void ensure() {
                tables.ensureReplicatedTableWithTtl(TelemetryTable.shape(telemetry.table()), TelemetryTable.EXPIRES_AT);
            }
        };
    }
}
