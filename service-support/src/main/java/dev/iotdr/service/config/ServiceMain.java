package dev.iotdr.service.config;

import dev.iotdr.shared.runtime.ParentProcessWatch;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a service; when the local stack's supervisor started it ({@code iotdr.parent-pid}), the service
 * leaves with the supervisor, even one that was killed.
 */
public final class ServiceMain {
    private ServiceMain() {}

    public static ConfigurableApplicationContext run(Class<?> application, String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(application, args);
        Long parent = context.getEnvironment().getProperty("iotdr.parent-pid", Long.class);
        if (parent != null) {
            ParentProcessWatch.start(
                    parent, Duration.ofSeconds(1), status -> System.exit(SpringApplication.exit(context)));
        }
        return context;
    }
}
