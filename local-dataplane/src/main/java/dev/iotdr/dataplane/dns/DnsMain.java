package dev.iotdr.dataplane.dns;

import com.sun.net.httpserver.HttpServer;
import dev.iotdr.dataplane.AdminReplies;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.runtime.ParentProcessWatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LocalDns} as its own process for the local stack, with a readiness endpoint on an admin port
 * ({@code GET /actuator/health/readiness}: 200 once listening and the zone has been read, 503 before).
 *
 * <p>Arguments: {@code --route53-endpoint=<url> --domain=<name> [--bind=127.0.0.1] --port=<n>
 * --region=<code>=<address> (repeated) --admin-port=<n> [--parent-pid=<pid>] [--refresh-millis=<n>]}.
 */
public final class DnsMain {
    private static final Logger log = LoggerFactory.getLogger(DnsMain.class);

    private DnsMain() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException wrong) {
            System.err.println("local DNS: " + wrong.getMessage());
            System.err.println("usage: --route53-endpoint=<url> --domain=<name> [--bind=127.0.0.1] --port=<n>"
                    + " --region=<code>=<address>... --admin-port=<n> [--parent-pid=<pid>] [--refresh-millis=<n>]");
            System.exit(2);
            return;
        }
        Running running = start(arguments);
        arguments.parentPid().ifPresent(pid -> ParentProcessWatch.start(pid, Duration.ofSeconds(1), System::exit));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts the DNS and its admin endpoint; closing the result stops both. */
    static Running start(Arguments arguments) throws IOException {
        RegionalAwsClients clients =
                new RegionalAwsClients(AwsClientSettings.emulated(Map.of(), arguments.route53Endpoint()));
        LocalDns dns = new LocalDns(
                clients.route53(arguments.regions().keySet().iterator().next()),
                arguments.domain(),
                arguments.bind(),
                arguments.port(),
                arguments.regions(),
                arguments.refresh());
        HttpServer admin;
        try {
            dns.start();
            admin = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.adminPort()), 16);
        } catch (IOException | RuntimeException failed) {
            dns.close();
            clients.close();
            throw failed;
        }
        admin.createContext("/actuator/health/readiness", exchange -> {
            boolean ready = dns.ready();
            AdminReplies.json(
                    exchange, ready ? 200 : 503, ready ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}");
        });
        admin.createContext(
                "/actuator/health/liveness", exchange -> AdminReplies.json(exchange, 200, "{\"status\":\"UP\"}"));
        admin.start();
        log.info("local DNS admin on 127.0.0.1:{}", admin.getAddress().getPort());
        return new Running(dns, admin, clients);
    }

    /** A started DNS with its admin endpoint. */
    record Running(LocalDns dns, HttpServer admin, RegionalAwsClients clients) implements AutoCloseable {
        int adminPort() {
            return admin.getAddress().getPort();
        }

        @Override
        public void close() {
            admin.stop(0);
            dns.close();
            clients.close();
        }
    }

    /**
     * The command line, checked.
     *
     * @param route53Endpoint the global emulator's URL
     * @param domain the fleet's domain
     * @param bind where the DNS listens
     * @param port the DNS port (0: any free one)
     * @param regions each region's loopback address, in the order given
     * @param adminPort the readiness endpoint's port on 127.0.0.1 (0: any free one)
     * @param parentPid the process whose end ends this one
     * @param refresh how often the zone is read
     */
    record Arguments(
            URI route53Endpoint,
            FleetDomain domain,
            InetAddress bind,
            int port,
            Map<Region, InetAddress> regions,
            int adminPort,
            Optional<Long> parentPid,
            Duration refresh) {

        Arguments {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("at least one --region=<code>=<address> is required");
            }
            regions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        }

        static Arguments parse(String... args) {
            Map<String, String> single = new LinkedHashMap<>();
            Map<Region, InetAddress> regions = new LinkedHashMap<>();
            List<String> unknown = new ArrayList<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (!arg.startsWith("--") || equals < 0) {
                    unknown.add(arg);
                    continue;
                }
                String key = arg.substring(2, equals);
                String value = arg.substring(equals + 1);
                switch (key) {
                    case "region" -> {
                        int split = value.indexOf('=');
                        if (split < 0) {
                            throw new IllegalArgumentException("--region takes <code>=<address>, was " + value);
                        }
                        regions.put(Region.of(value.substring(0, split)), address(value.substring(split + 1)));
                    }
                    case "route53-endpoint", "domain", "bind", "port", "admin-port", "parent-pid", "refresh-millis" ->
                        single.put(key, value);
                    default -> unknown.add(arg);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown arguments " + unknown);
            }
            return new Arguments(
                    URI.create(required(single, "route53-endpoint")),
                    FleetDomain.of(required(single, "domain")),
                    address(single.getOrDefault("bind", "127.0.0.1")),
                    port(required(single, "port"), "--port"),
                    regions,
                    port(required(single, "admin-port"), "--admin-port"),
                    Optional.ofNullable(single.get("parent-pid")).map(pid -> number(pid, "--parent-pid")),
                    Duration.ofMillis(Optional.ofNullable(single.get("refresh-millis"))
                            .map(millis -> number(millis, "--refresh-millis"))
                            .orElse(LocalDns.DEFAULT_REFRESH.toMillis())));
        }

        private static String required(Map<String, String> values, String key) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + key + "=<value> is required");
            }
            return value;
        }

        private static int port(String value, String name) {
            long port = number(value, name);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0 to 65535, was " + value);
            }
            return (int) port;
        }

        private static long number(String value, String name) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, was " + value);
            }
        }

        /** An IP literal only: a host name here would need the DNS this process is. */
        private static InetAddress address(String literal) {
            if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new IllegalArgumentException("an IP address is required, was " + literal);
            }
            try {
                return InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("an IP address is required, was " + literal);
            }
        }
    }
}
