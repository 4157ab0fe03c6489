package dev.iotdr.replication.registry.adapter.out.iot;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.iot.FleetIotResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.domain.PolicyName;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires this region's IoT registry port, and the policy and thing type every device needs here. */
@Configuration(proxyBeanMethods = false)
public class IotRegistryConfiguration {

    @Bean
    RegionRegistry regionRegistry(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new IotRegionRegistry(clients.iot(region.self()), calls, replication.thingType());
    }

    @Bean
    RegionResources.Resource fleetIotResources(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        FleetIotResources resources = new FleetIotResources(clients.iot(region.self()), calls);
        String document = DevicePolicy.document();
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "iot policy " + replication.devicePolicy() + " and thing type " + replication.thingType();
            }

            @Override
            public void ensure() {
                resources.ensure(PolicyName.of(replication.devicePolicy()), document, replication.thingType());
            }
        };
    }
}
