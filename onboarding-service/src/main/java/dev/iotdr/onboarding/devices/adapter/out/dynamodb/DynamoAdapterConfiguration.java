package dev.iotdr.onboarding.devices.adapter.out.dynamodb;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests;
import dev.iotdr.onboarding.devices.application.RecordsElsewhere;
import dev.iotdr.service.aws.AwsCallSettings;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.aws.RegionalAwsClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the DynamoDB adapters, and the tables they need in the region. */
@Configuration(proxyBeanMethods = false)
public class DynamoAdapterConfiguration {

    @Bean
    DeviceRecords deviceRecords(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        return new DynamoDeviceRecords(clients.dynamoDb(region.self()), calls, onboarding.deviceTable());
    }

    /** Other regions' device tables, read through a call guard of their own: one try, short waits. */
    @Bean
    RecordsElsewhere recordsElsewhere(
            RegionalAwsClients clients,
            AwsCallSettings settings,
            RegionProperties region,
            OnboardingProperties onboarding,
            MeterRegistry meters) {
        AwsCallSettings remote = new AwsCallSettings(
                settings.quotas(),
                Duration.ofMillis(500),
                1,
                settings.initialBackoff(),
                settings.maxBackoff(),
                settings.circuitOpenFor());
        return new DynamoRecordsElsewhere(
                clients,
                region.regionTopology().others(region.self()),
                each -> new GuardedAwsCalls(remote, meters),
                onboarding.deviceTable(),
                meters);
    }

    @Bean
    ProvisioningRequests provisioningRequests(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        return new DynamoProvisioningRequests(clients.dynamoDb(region.self()), calls, onboarding.requestsTable());
    }

    @Bean
    RegionResources.Resource deviceTable(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        DynamoTables tables = new DynamoTables(clients.dynamoDb(region.self()), calls);
        return resource("table " + onboarding.deviceTable(), () -> tables.ensureDeviceTable(onboarding.deviceTable()));
    }

    @Bean
    RegionResources.Resource requestTable(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        DynamoTables tables = new DynamoTables(clients.dynamoDb(region.self()), calls);
        return resource(
                "table " + onboarding.requestsTable(),
                () -> tables.ensureTableWithTtl(
                        DynamoProvisioningRequests.shape(onboarding.requestsTable()), DynamoProvisioningRequests.TTL));
    }

    private static RegionResources.Resource resource(String name, Runnable ensure) {
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void ensure() {
                ensure.run();
            }
        };
    }
}
