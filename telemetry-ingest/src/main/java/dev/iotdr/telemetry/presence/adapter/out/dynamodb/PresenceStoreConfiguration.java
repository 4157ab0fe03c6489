package dev.iotdr.telemetry.presence.adapter.out.dynamodb;

import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.telemetry.config.TelemetryProperties;
import dev.iotdr.telemetry.presence.application.PresenceStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Presence in this region: its table (ensured at start and when the region was emptied) and its adapter. */
@Configuration(proxyBeanMethods = false)
public class PresenceStoreConfiguration {

    @Bean
    PresenceStore presenceStore(
            RegionalAwsClients clients,
            RegionProperties region,
            GuardedAwsCalls calls,
            TelemetryProperties telemetry,
            org.springframework.beans.factory.ObjectProvider<RegionResources> resources) {
        return new DynamoPresenceStore(
                clients.dynamoDb(region.self()),
                calls,
                telemetry.presenceTable(),
                telemetry.presenceWriters(),
                () -> resources.getObject().heal());
    }

    @Bean
    RegionResources.Resource presenceTable(
            RegionalAwsClients clients, RegionProperties region, GuardedAwsCalls calls, TelemetryProperties telemetry) {
        DynamoTables tables = new DynamoTables(clients.dynamoDb(region.self()), calls);
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "DynamoDB table " + telemetry.presenceTable();
            }

            @Override
            public void ensure() {
                tables.ensureTable(PresenceTable.shape(telemetry.presenceTable()));
            }
        };
    }
}
