package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.onboarding.aws.GuardedAwsCalls;
import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.config.RegionProperties;
import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.shared.aws.RegionalAwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/** Wires the IoT adapter: ensures the device policy and thing type, then offers the registry port. */
@Configuration(proxyBeanMethods = false)
public class IotAdapterConfiguration {

    @Bean
    DeviceRegistry deviceRegistry(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            OnboardingProperties onboarding) {
        var iot = clients.iot(region.self());
        new IotResources(iot, calls).ensure(onboarding.policyName(), devicePolicyDocument(), onboarding.thingType());
        return new IotDeviceRegistry(iot, calls, onboarding.thingType());
    }

    private static String devicePolicyDocument() {
        try {
            return new ClassPathResource("iot/device-policy.json").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("device policy document is missing from the build", e);
        }
    }
}
