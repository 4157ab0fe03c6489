package dev.iotdr.onboarding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The onboarding service: the API mobile apps call to bring a device into the fleet, in this region. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OnboardingApplication {
    public static void main(String[] args) {
        SpringApplication.run(OnboardingApplication.class, args);
    }
}
