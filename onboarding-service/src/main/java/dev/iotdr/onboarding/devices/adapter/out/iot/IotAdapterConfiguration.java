package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

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
        IotResources resources = new IotResources(clients.iot(region.self()), calls);
        String document = devicePolicyDocument();
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

    private static String devicePolicyDocument() {
        try {
            return new ClassPathResource("iot/device-policy.json").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("device policy document is missing from the build", e);
        }
    }
}
