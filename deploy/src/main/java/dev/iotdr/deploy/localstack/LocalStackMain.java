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
 * (default {@code .drctl}), {@code --repo-root DIR} (where built service jars are found); the domain comes from {@code IOTDR_DOMAIN} (default {@value #DEFAULT_DOMAIN}),
 * the regions from {@code IOTDR_REGIONS}. Runs until it receives SIGTERM, then stops what it started.
 */
public final class LocalStackMain {
    static final String DEFAULT_DOMAIN = "fleet.iotdr.test";
    private static final Logger log = LoggerFactory.getLogger(LocalStackMain.class);

    private LocalStackMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path stateDir = Path.of(argument(args, "--state-dir", ".drctl")).toAbsolutePath();
        Path repositoryRoot = Path.of(argument(args, "--repo-root", ".")).toAbsolutePath();
        String configuredDomain = System.getenv("IOTDR_DOMAIN");
        FleetDomain domain = FleetDomain.of(
                configuredDomain == null || configuredDomain.isBlank() ? DEFAULT_DOMAIN : configuredDomain);
        LocalCloudConfig config = LocalCloudConfig.fromEnvironment().withLogDirectory(stateDir.resolve("logs"));
        LocalStackState state = new LocalStackState(stateDir.resolve("state.json"), domain);

        LocalStack stack = new LocalStack(LocalCloud.start(config), domain, repositoryRoot, stateDir);
        CountDownLatch stopped = new CountDownLatch(1);
        ControlEndpoint[] control = new ControlEndpoint[1];
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping the local stack");
                            if (control[0] != null) {
                                control[0].close();
                            }
                            stack.close();
                            state.delete();
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));
        try {
            control[0] = new ControlEndpoint(stack, () -> state.write(stack, control[0].uri(), true));
            state.write(stack, control[0].uri(), false);
            stack.startServices();
            state.write(stack, control[0].uri(), true);
        } catch (RuntimeException e) {
            log.error("the local stack failed to start: {}", e.getMessage(), e);
            System.exit(1); // the shutdown hook stops whatever did start
        }
        log.info(
                "local stack ready for {}: regions {}, control {}",
                domain,
                stack.cloud().endpoints(),
                control[0].uri());
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
