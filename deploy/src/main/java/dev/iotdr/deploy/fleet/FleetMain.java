package dev.iotdr.deploy.fleet;

import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.edge.EdgeAgent;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./drctl fleet --devices N --rate R [--duration S]}: enrols N devices through {@code api.<domain>} (resolved
 * through the local DNS), keeps their keys under {@code .drctl/fleet/<run>/<thing>/} (the key owner-only), runs them
 * on the edge agent in this JVM publishing R messages a second each, and every 5 s reports the devices connected per
 * region and the messages produced, acknowledged, buffered and dropped. Runs until {@code --duration} seconds have
 * passed or it is interrupted; what is still buffered then stays in the fleet's buffer file.
 */
public final class FleetMain {
    private FleetMain() {}

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(option(args, "--devices", "10"));
        double rate = Double.parseDouble(option(args, "--rate", "1"));
        long duration = Long.parseLong(option(args, "--duration", "0"));
        Path stateDirectory = Path.of(option(args, "--state-dir", ".drctl"));
        JsonNode state = JsonMapper.builder().build().readTree(Files.readString(stateDirectory.resolve("state.json")));
        String domain = state.get("domain").asString();
        JsonNode global = state.get("global");
        if (global.get("dns") == null || global.get("dns").isNull()) {
            throw new IllegalStateException("the local stack runs no DNS; is local-dataplane built?");
        }
        Optional<InetSocketAddress> server =
                Optional.of(Endpoints.parse(global.get("dns").asString()));
        Map<String, String> regionByAddress = new HashMap<>();
        int mqttPort = 8883;
        int apiPort = 8443;
        for (var region : state.get("regions").properties()) {
            InetSocketAddress iot =
                    Endpoints.parse(region.getValue().get("iotEndpoint").asString());
            regionByAddress.put(iot.getHostString(), region.getKey());
            mqttPort = iot.getPort();
            apiPort = Endpoints.parse(region.getValue().get("apiEndpoint").asString())
                    .getPort();
        }
        String token = LocalStackTokens.token(
                Files.readString(stateDirectory.resolve("secrets").resolve("jwt-secret"))
                        .strip(),
                "devices:write");
        String run = UUID.randomUUID().toString().substring(0, 6);
        Path fleetDirectory = stateDirectory.resolve("fleet").resolve(run);

        List<String> things;
        try (FleetEnrolment enrolment = new FleetEnrolment(
                domain,
                apiPort,
                server,
                DeviceIdentity.certificate(
                        Files.readString(Path.of(global.get("pki").asString()).resolve("root-ca.pem"))),
                token,
                fleetDirectory)) {
            things = enrolment.enrol("fleet-" + run, devices, 8).stream()
                    .map(FleetEnrolment.Enrolled::thingName)
                    .toList();
        }
        System.out.printf(
                "enrolled %d devices through api.%s; their files are in %s%n", things.size(), domain, fleetDirectory);

        CountDownLatch stop = new CountDownLatch(1);
        try (Fleet fleet =
                new Fleet(fleetDirectory, things, domain, server, mqttPort, 100_000, new EdgeAgent.Events() {})) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            fleet.connect();
            fleet.produce(rate);
            Instant end = duration > 0 ? Instant.now().plusSeconds(duration) : Instant.MAX;
            while (Instant.now().isBefore(end) && !stop.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                Fleet.Totals totals = fleet.totals();
                Map<String, Integer> byRegion = new java.util.TreeMap<>();
                totals.connectedByAddress()
                        .forEach((address, count) ->
                                byRegion.merge(regionByAddress.getOrDefault(address, address), count, Integer::sum));
                System.out.printf(
                        "%s connected %s of %d; messages produced %d, acknowledged %d, buffered %d, dropped %d, refused connects %d%n",
                        Instant.now().toString().substring(11, 19),
                        byRegion,
                        totals.devices(),
                        totals.produced(),
                        totals.acknowledged(),
                        totals.buffered(),
                        totals.dropped(),
                        totals.refusals());
            }
            fleet.stopProducing();
            fleet.awaitDrained(Duration.ofSeconds(10));
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
