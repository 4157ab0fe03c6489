package dev.iotdr.deploy.localstack;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudConfig;
import dev.iotdr.shared.domain.FleetDomain;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor process of the local stack ({@code ./drctl up}). Arguments: {@code --state-dir DIR}
 * (default {@code .drctl}); the domain comes from {@code IOTDR_DOMAIN} (default {@value #DEFAULT_DOMAIN}),
 * the regions from {@code IOTDR_REGIONS}. Runs until it receives SIGTERM, then stops what it started.
 */
public final class LocalStackMain {
    static final String DEFAULT_DOMAIN = "fleet.iotdr.test";
    private static final Logger log = LoggerFactory.getLogger(LocalStackMain.class);

    private LocalStackMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path stateDir = Path.of(argument(args, "--state-dir", ".drctl")).toAbsolutePath();
        String configuredDomain = System.getenv("IOTDR_DOMAIN");
        FleetDomain domain = FleetDomain.of(
                configuredDomain == null || configuredDomain.isBlank() ? DEFAULT_DOMAIN : configuredDomain);
        LocalCloudConfig config = LocalCloudConfig.fromEnvironment().withLogDirectory(stateDir.resolve("logs"));
        LocalStackState state = new LocalStackState(stateDir.resolve("state.json"), domain);

        LocalCloud cloud = LocalCloud.start(config);
        ControlEndpoint[] control = new ControlEndpoint[1];
        control[0] = new ControlEndpoint(cloud, () -> state.write(cloud, control[0].uri(), true));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping the local stack");
                            control[0].close();
                            cloud.close();
                            state.delete();
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));
        state.write(cloud, control[0].uri(), true);
        log.info("local stack ready for {}: regions {}, control {}", domain, cloud.endpoints(), control[0].uri());
        stopped.await();
    }

    private static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
