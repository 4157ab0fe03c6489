package dev.iotdr.onboarding;

import dev.iotdr.service.config.ServiceMain;
import dev.iotdr.service.config.ServiceSupportConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The onboarding service: the API mobile apps call to bring a device into the fleet, in this region. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(ServiceSupportConfiguration.class)
public class OnboardingApplication {
    public static void main(String[] args) {
        ServiceMain.run(OnboardingApplication.class, args);
    }
}
