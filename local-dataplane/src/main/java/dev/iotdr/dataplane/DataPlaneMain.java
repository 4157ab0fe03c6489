package dev.iotdr.dataplane;

import com.sun.net.httpserver.HttpServer;
import dev.iotdr.dataplane.api.ApiLoadBalancer;
import dev.iotdr.dataplane.broker.IotCoreRules;
import dev.iotdr.dataplane.broker.MessageRoute;
import dev.iotdr.dataplane.broker.RegionalBroker;
import dev.iotdr.dataplane.broker.RegistryView;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.dataplane.rules.FleetRules;
import dev.iotdr.dataplane.rules.TopicRules;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.runtime.ParentProcessWatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's local data plane as its own process: the MQTT endpoint (IoT Core's rules, topic rules, lifecycle
 * events) and the api load balancer on the region's address, plus a readiness endpoint on an admin port
 * ({@code GET /actuator/health/readiness}). Stopped with its region: an outage takes the endpoints down for real.
 *
 * <p>Arguments: {@code --region=<code> --iot-endpoint=<emulator url> --domain=<name> --address=<ip>
 * [--mqtt-port=8883] [--api-port=8443] --route=<path prefix>=<url> (repeated) --pki-dir=<dir> --work-dir=<dir>
 * --admin-port=<n> [--parent-pid=<pid>] [--warm-up-connects=400]}: before the endpoint opens, that many device
 * connects run through its code on a throwaway loopback broker ({@link JitWarmUp}; 0 skips it). The PKI password comes from {@code IOTDR_PKI_PASSWORD} (never the
 * command line, which {@code ps} shows).
 */
public final class DataPlaneMain {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneMain.class);
    /** How old the registry view may be: IoT Core refuses a revoked certificate at the next connect within 2 s. */
    static final Duration REGISTRY_BOUND = Duration.ofSeconds(1);
    /** Registry entries kept: an entry serves for {@link #REGISTRY_BOUND}, so this is connects per second. */
    static final int REGISTRY_ENTRIES = 20_000;

    private static final int LOOKUP_THREADS = 32;
    /**
     * Lookups waiting for a thread: about what the threads get through (the emulator answers some 20-60 reads a
     * second) before a connect gives up (10 s); a longer queue would only hold reads for devices that are gone.
     */
    private static final int LOOKUP_QUEUE = 256;

    private DataPlaneMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = options(args);
        String password = System.getenv("IOTDR_PKI_PASSWORD");
        if (password == null || password.isBlank()) {
            System.err.println("local data plane: IOTDR_PKI_PASSWORD is not set");
            System.exit(2);
        }
        Region region = Region.of(required(options, "region"));
        FleetDomain domain = FleetDomain.of(required(options, "domain"));
        InetAddress address = InetAddress.getByName(required(options, "address"));
        int mqttPort = Integer.parseInt(optional(options, "mqtt-port").orElse("8883"));
        int apiPort = Integer.parseInt(optional(options, "api-port").orElse("8443"));
        Map<String, URI> routes = new LinkedHashMap<>();
        for (String route : options.getOrDefault("route", List.of())) {
            int split = route.indexOf('=');
            if (split < 1) {
                throw new IllegalArgumentException("--route must be <path prefix>=<url>, was " + route);
            }
            routes.put(route.substring(0, split), URI.create(route.substring(split + 1)));
        }
        LocalPki pki = new LocalPki(Path.of(required(options, "pki-dir")), password.toCharArray());
        RegionalAwsClients clients = new RegionalAwsClients(AwsClientSettings.emulated(
                Map.of(region, URI.create(required(options, "iot-endpoint"))), URI.create("http://127.0.0.1:1")));
        int warmUps = Integer.parseInt(optional(options, "warm-up-connects").orElse("400"));
        if (warmUps > 0) {
            JitWarmUp.run(region, domain, pki, Path.of(required(options, "work-dir")), warmUps);
        }
        Running running = start(
                region,
                domain,
                new InetSocketAddress(address, mqttPort),
                new InetSocketAddress(address, apiPort),
                routes,
                pki,
                clients,
                DataPlaneMain::topicRules,
                Path.of(required(options, "work-dir")),
                Integer.parseInt(required(options, "admin-port")));
        optional(options, "parent-pid")
                .map(Long::parseLong)
                .ifPresent(pid -> ParentProcessWatch.start(pid, Duration.ofSeconds(1), System::exit));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            clients.close();
                            stopped.countDown();
                        },
                        "data-plane-shutdown"));
        log.info(
                "local data plane for {} ready: MQTT on {}, api on {}, admin on 127.0.0.1:{}",
                region,
                running.broker().address(),
                apiPort,
                running.adminPort());
        stopped.await();
    }

    /** The started parts; closing stops them in reverse order. */
    public record Running(
            RegionalBroker broker, ApiLoadBalancer api, HttpServer admin, ExecutorService lookups, MessageRoute route)
            implements AutoCloseable {
        public int adminPort() {
            return admin.getAddress().getPort();
        }

        @Override
        public void close() {
            admin.stop(0);
            try {
                api.close();
            } finally {
                broker.close();
                lookups.shutdownNow();
                route.close(); // after the broker: no message arrives any more, and those accepted are sent
            }
        }
    }

    /**
     * Starts a region's data plane. {@code routeFor} builds where accepted messages go (the topic rules) from the
     * region's clients.
     */
    public static Running start(
            Region region,
            FleetDomain domain,
            InetSocketAddress mqtt,
            InetSocketAddress apiAddress,
            Map<String, URI> routes,
            LocalPki pki,
            RegionalAwsClients clients,
            java.util.function.BiFunction<Region, RegionalAwsClients, MessageRoute> routeFor,
            Path workDirectory,
            int adminPort)
            throws IOException {
        char[] password = pki.password();
        pki.ensure(domain);
        // a bounded queue: in a connect storm a lookup that would start after the device gave up is refused instead
        ExecutorService lookups = new ThreadPoolExecutor(
                LOOKUP_THREADS,
                LOOKUP_THREADS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(LOOKUP_QUEUE),
                Thread.ofPlatform().name("registry-lookup-", 0).daemon().factory());
        MessageRoute route = routeFor.apply(region, clients);
        IotCoreRules rules = new IotCoreRules(
                region.code(),
                List.of(domain.iotEndpoint(), ".iot." + region.code() + ".amazonaws.com"),
                new RegistryView(clients.iot(region), REGISTRY_BOUND, REGISTRY_ENTRIES, lookups, Clock.systemUTC()),
                route,
                Clock.systemUTC());
        RegionalBroker broker = null;
        ApiLoadBalancer api = null;
        try {
            broker = RegionalBroker.start(mqtt, pki.serverKeystore(), password, rules, workDirectory);
            api = ApiLoadBalancer.start(apiAddress, pki.serverKeystore(), password, routes);
            HttpServer admin =
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), adminPort), 16);
            admin.createContext(
                    "/actuator/health/readiness", exchange -> AdminReplies.json(exchange, 200, "{\"status\":\"UP\"}"));
            admin.createContext(
                    "/v1/dataplane",
                    exchange -> AdminReplies.json(
                            exchange,
                            200,
                            "{\"region\":\"" + region.code() + "\",\"connections\":" + rules.connections() + "}"));
            admin.start();
            return new Running(broker, api, admin, lookups, route);
        } catch (IOException | RuntimeException failed) {
            if (api != null) {
                api.close();
            }
            if (broker != null) {
                broker.close();
            }
            lookups.shutdownNow();
            route.close();
            throw failed;
        }
    }

    /**
     * The region's topic rules: the fleet's rules and queues ensured first (until the templates own them), then
     * every rule stored in the region's registry executed for each accepted message.
     */
    public static MessageRoute topicRules(Region region, RegionalAwsClients clients) {
        new FleetRules(clients.iot(region), clients.sqs(region)).ensure();
        TopicRules rules = TopicRules.start(clients.iot(region), clients.sqs(region));
        return new MessageRoute() {
            @Override
            public void accepted(String topic, byte[] payload, String clientId, String principal, long receivedAt) {
                rules.onMessage(topic, payload, clientId, principal, receivedAt);
            }

            @Override
            public void close() {
                rules.close();
            }
        };
    }

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, was " + arg);
            }
            int split = arg.indexOf('=');
            options.computeIfAbsent(arg.substring(2, split), name -> new ArrayList<>())
                    .add(arg.substring(split + 1));
        }
        return options;
    }

    private static String required(Map<String, List<String>> options, String name) {
        return optional(options, name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
    }

    private static Optional<String> optional(Map<String, List<String>> options, String name) {
        return Optional.ofNullable(options.get(name)).map(List::getLast);
    }
}
