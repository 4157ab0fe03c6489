package dev.iotdr.onboarding.support;

import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Puts fault injection around the real adapters and a movable clock in the context. */
@TestConfiguration(proxyBeanMethods = false)
public class OnboardingTestConfiguration {

    @Bean
    FaultInjection faultInjection() {
        return new FaultInjection();
    }

    @Bean
    @Primary
    DeviceRegistry faultyDeviceRegistry(@Qualifier("deviceRegistry") DeviceRegistry real, FaultInjection faults) {
        return new FaultyDeviceRegistry(real, faults);
    }

    @Bean
    @Primary
    DeviceRecords faultyDeviceRecords(@Qualifier("deviceRecords") DeviceRecords real, FaultInjection faults) {
        return new FaultyDeviceRecords(real, faults);
    }

    @Bean
    @Primary
    MutableClock mutableClock() {
        return new MutableClock();
    }
}
