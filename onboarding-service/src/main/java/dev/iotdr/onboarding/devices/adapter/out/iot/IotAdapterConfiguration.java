package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.iot.FleetIotResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DevicePolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the IoT adapter: the registry port, and the device policy and thing type it needs in the region. */
@Configuration(proxyBeanMethods = false)
public class IotAdapterConfiguration {

    @Bean
    DeviceRegistry deviceRegistry(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        return new IotDeviceRegistry(clients.iot(region.self()), calls, onboarding.thingType());
    }

    @Bean
    RegionResources.Resource iotPolicyAndThingType(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        FleetIotResources resources = new FleetIotResources(clients.iot(region.self()), calls);
        String document = DevicePolicy.document();
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "iot policy " + onboarding.devicePolicy() + " and thing type " + onboarding.thingType();
            }

            @Override
            public void ensure() {
                resources.ensure(onboarding.policyName(), document, onboarding.thingType());
            }
        };
    }
}
