package dev.iotdr.onboarding;

import dev.iotdr.shared.runtime.ParentProcessWatch;
import java.time.Duration;
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
        var context = SpringApplication.run(OnboardingApplication.class, args);
        // Started by the local stack's supervisor: leave with it, even if it was killed.
        Long parent = context.getEnvironment().getProperty("iotdr.parent-pid", Long.class);
        if (parent != null) {
            ParentProcessWatch.start(
                    parent, Duration.ofSeconds(1), status -> System.exit(SpringApplication.exit(context)));
        }
    }
}
