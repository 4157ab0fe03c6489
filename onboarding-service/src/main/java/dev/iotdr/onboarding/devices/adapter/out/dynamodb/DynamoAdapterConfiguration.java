package dev.iotdr.onboarding.devices.adapter.out.dynamodb;

import dev.iotdr.onboarding.aws.GuardedAwsCalls;
import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.config.RegionProperties;
import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests;
import dev.iotdr.shared.aws.RegionalAwsClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the DynamoDB adapters after ensuring their tables. */
@Configuration(proxyBeanMethods = false)
public class DynamoAdapterConfiguration {

    @Bean
    DeviceRecords deviceRecords(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        var dynamo = clients.dynamoDb(region.self());
        new DynamoTables(dynamo, calls).ensureDeviceTable(onboarding.deviceTable());
        return new DynamoDeviceRecords(dynamo, calls, onboarding.deviceTable());
    }

    @Bean
    ProvisioningRequests provisioningRequests(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        var dynamo = clients.dynamoDb(region.self());
        new DynamoTables(dynamo, calls).ensureRequestTable(onboarding.requestsTable());
        return new DynamoProvisioningRequests(dynamo, calls, onboarding.requestsTable());
    }
}
