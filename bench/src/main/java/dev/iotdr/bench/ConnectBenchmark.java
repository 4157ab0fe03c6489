package dev.iotdr.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.iotdr.dataplane.broker.IotCoreRules;
import dev.iotdr.dataplane.broker.PrincipalLookup;
import dev.iotdr.dataplane.broker.RegionalBroker;
import dev.iotdr.dataplane.broker.RegistryView;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * How fast a region's MQTT endpoint accepts connects, with and without its registry checks, in one run.
 *
 * <p>Enrols {@code --devices} devices (default 1,000) in the first region directly through the emulator, then
 * connects each of them once per kind (TLS with its certificate and the custom name as SNI, verified against the
 * local CA; MQTT 5 CONNECT/CONNACK; DISCONNECT), {@code --concurrency} at a time (default 16), against:
 *
 * <ul>
 *   <li><b>baseline: no registry reads</b>: the data plane's broker code, started in this process on the region's
 *       address, with the principals read once before the run and answered from memory. TLS, MQTT and the policy
 *       evaluation are all there; only the registry reads are not.
 *   <li><b>registry checks (same process)</b>: the same, reading the certificate, its things and its policies from
 *       the region's registry (the emulator) on every connect, as the data plane does. Against the baseline this
 *       is the cost of the registry reads, in one JVM with the same settings.
 *   <li><b>the stack's data plane</b>: the region's own endpoint as devices reach it (its own JVM, started with the
 *       stack's small-heap settings, publishing lifecycle events through the topic rules).
 * </ul>
 *
 * <p>The kinds take turns over two halves of the fleet so that load drift hits all alike; a warm-up round of each
 * runs first and is not counted. Usage: {@code ./drctl bench connect [--devices N] [--concurrency C]}.
 */
public final class ConnectBenchmark {
    private static final int WARMUP = 50;
    private static final String BASELINE = "baseline: no registry reads";
    private static final String CHECKS = "registry checks (same process)";
    private static final String STACK = "the stack's data plane";

    private record Device(String thingName, String certificatePem, PrivateKey key, String certificateId) {}

    /** One round's samples, kept so that rounds of one kind are summarised together. */
    private record Round(List<Long> latenciesMicros, int failures, Duration wall) {
        static LatencySummary summary(String name, List<Round> rounds) {
            List<Long> all = new ArrayList<>();
            int failures = 0;
            Duration wall = Duration.ZERO;
            for (Round round : rounds) {
                all.addAll(round.latenciesMicros());
                failures += round.failures();
                wall = wall.plus(round.wall());
            }
            return LatencySummary.of(name, all, failures, wall);
        }
    }

    private ConnectBenchmark() {}

    public static void main(String[] args) throws Exception {
        int exitCode = 0;
        int devices = Integer.parseInt(option(args, "--devices", "1000"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "16"));
        Path stateDirectory = Path.of(option(args, "--state-dir", ".drctl"));
        LocalStackState stack = LocalStackState.read(stateDirectory);
        String regionCode = stack.regions().keySet().iterator().next();
        Region region = Region.of(regionCode);
        FleetDomain domain = FleetDomain.of(stack.domain());
        String[] endpoint =
                stack.regions().get(regionCode).get("iotEndpoint").asString().split(":");
        InetSocketAddress checked =
                new InetSocketAddress(InetAddress.getByName(endpoint[0]), Integer.parseInt(endpoint[1]));
        char[] password = stack.secret("pki-password").toCharArray();
        LocalPki pki = new LocalPki(stack.pkiDirectory(), password);

        Map<Region, URI> emulators = Map.of(
                region,
                URI.create(stack.regions().get(regionCode).get("emulator").asString()));
        try (RegionalAwsClients clients =
                new RegionalAwsClients(AwsClientSettings.emulated(emulators, stack.globalEmulator()))) {
            System.out.printf(
                    "connect benchmark: %d devices, concurrency %d, region %s, endpoint %s%n",
                    devices, concurrency, region, checked);
            long enrolStarted = System.nanoTime();
            List<Device> fleet = enrol(clients.iot(region), devices + WARMUP, 4);
            System.out.printf(
                    "enrolled %d devices in %.1f s%n", fleet.size(), (System.nanoTime() - enrolStarted) / 1e9);
            List<Device> warmup = fleet.subList(0, WARMUP);
            List<Device> measured = fleet.subList(WARMUP, fleet.size());

            ExecutorService reads = Executors.newFixedThreadPool(32);
            RegistryView view =
                    new RegistryView(clients.iot(region), Duration.ofSeconds(1), 20_000, reads, Clock.systemUTC());
            Map<String, RegistryView.Principal> known = new java.util.concurrent.ConcurrentHashMap<>();
            for (Device device : fleet) {
                known.put(
                        device.certificateId(),
                        view.principal(device.certificateId()).join());
            }
            PrincipalLookup fromMemory = id -> CompletableFuture.completedFuture(known.get(id));
            Path work = Files.createTempDirectory("connect-bench-");
            try (RegionalBroker baseline =
                            inProcess(regionCode, domain, fromMemory, checked, pki, password, work.resolve("memory"));
                    RegionalBroker registry =
                            inProcess(regionCode, domain, view, checked, pki, password, work.resolve("registry"))) {
                TrustManagerFactory trust = trust(pki);
                measure("warm-up baseline", warmup, concurrency, baseline.address(), domain, trust);
                measure("warm-up registry", warmup, concurrency, registry.address(), domain, trust);
                measure("warm-up data plane", warmup, concurrency, checked, domain, trust);
                List<Round> baselines = new ArrayList<>();
                List<Round> checks = new ArrayList<>();
                List<Round> stacks = new ArrayList<>();
                int half = measured.size() / 2;
                // Each device connects once per kind; the registry view's 1 s bound has long passed between kinds,
                // so every connect of the registry kinds reads the registry.
                for (List<Device> round : List.of(measured.subList(0, half), measured.subList(half, measured.size()))) {
                    baselines.add(measure(BASELINE, round, concurrency, baseline.address(), domain, trust));
                    checks.add(measure(CHECKS, round, concurrency, registry.address(), domain, trust));
                    stacks.add(measure(STACK, round, concurrency, checked, domain, trust));
                }
                LatencySummary base = Round.summary(BASELINE, baselines);
                LatencySummary real = Round.summary(CHECKS, checks);
                LatencySummary viaStack = Round.summary(STACK, stacks);
                System.out.println();
                for (LatencySummary summary : List.of(base, real, viaStack)) {
                    System.out.println(summary.line().replace("devices/s", "connects/s"));
                }
                System.out.printf(
                        "ratio registry checks/baseline (same process): throughput %.2f, p50 %.2fx, p99 %.2fx%n",
                        real.perSecond() / base.perSecond(),
                        (double) real.p50Micros() / Math.max(1, base.p50Micros()),
                        (double) real.p99Micros() / Math.max(1, base.p99Micros()));
                System.out.printf(
                        "ratio data plane/baseline: throughput %.2f, p50 %.2fx, p99 %.2fx%n",
                        viaStack.perSecond() / base.perSecond(),
                        (double) viaStack.p50Micros() / Math.max(1, base.p50Micros()),
                        (double) viaStack.p99Micros() / Math.max(1, base.p99Micros()));
                if (base.failures() > 0 || real.failures() > 0 || viaStack.failures() > 0) {
                    exitCode = 1; // after the finally below: the brokers' working directories hold a password
                }
            } finally {
                try (var left = Files.walk(work)) {
                    left.sorted(java.util.Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
            reads.shutdownNow();
        }
        System.exit(exitCode);
    }

    /** A broker like the data plane's, in this process, on a free port of the region's address. */
    private static RegionalBroker inProcess(
            String region,
            FleetDomain domain,
            PrincipalLookup principals,
            InetSocketAddress near,
            LocalPki pki,
            char[] password,
            Path work)
            throws Exception {
        IotCoreRules rules = new IotCoreRules(
                region,
                List.of(domain.iotEndpoint()),
                principals,
                (topic, payload, clientId, principal, at) -> {},
                Clock.systemUTC());
        InetSocketAddress address = new InetSocketAddress(near.getAddress(), freePort(near.getAddress()));
        return RegionalBroker.start(address, pki.serverKeystore(), password, rules, work);
    }

    /** N devices as onboarding leaves them: thing, ACTIVE certificate (keys made by IoT), device policy attached. */
    private static List<Device> enrol(IotClient iot, int count, int concurrency) throws Exception {
        try {
            iot.createPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).policyDocument(DevicePolicy.document()));
        } catch (ResourceAlreadyExistsException exists) {
            // made by an earlier run or the stack
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Device> fleet = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String thing = "bench-connect-" + run + "-" + i;
                futures.add(pool.submit(() -> {
                    emulatorRetrying(() -> iot.createThing(r -> r.thingName(thing)));
                    var issued = emulatorRetrying(() -> iot.createKeysAndCertificate(r -> r.setAsActive(true)));
                    emulatorRetrying(() -> iot.attachPolicy(
                            r -> r.policyName(DevicePolicy.DEFAULT_NAME).target(issued.certificateArn())));
                    emulatorRetrying(() ->
                            iot.attachThingPrincipal(r -> r.thingName(thing).principal(issued.certificateArn())));
                    fleet.add(new Device(
                            thing,
                            issued.certificatePem(),
                            DeviceIdentity.privateKey(issued.keyPair().privateKey()),
                            IotCoreRules.certificateId(LocalPki.parseCertificate(issued.certificatePem()))));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return new ArrayList<>(fleet);
    }

    /**
     * moto's IoT backend is not thread-safe: a request that walks its things or certificates while another adds
     * one fails with HTTP 500 ("OrderedDict mutated during iteration"). The enrolment retries those (every call it
     * makes is idempotent in the emulator); real AWS has no such failure.
     */
    private static <T> T emulatorRetrying(java.util.function.Supplier<T> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (software.amazon.awssdk.services.iot.model.IotException e) {
                if (e.statusCode() != 500 || attempt == 10) {
                    throw e;
                }
                Thread.sleep(50L * attempt);
            }
        }
    }

    private static Round measure(
            String name,
            List<Device> devices,
            int concurrency,
            InetSocketAddress address,
            FleetDomain domain,
            TrustManagerFactory trust)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (Device device : devices) {
                futures.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    try {
                        Mqtt5BlockingClient client = client(device, address, domain, trust);
                        client.connect();
                        latencies.add((System.nanoTime() - began) / 1000);
                        client.disconnect();
                    } catch (Exception e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.err.println(name + ": " + device.thingName() + ": " + e);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        Round round = new Round(List.copyOf(latencies), failures.get(), Duration.between(start, Instant.now()));
        System.out.println(Round.summary(name, List.of(round)).line().replace("devices/s", "connects/s"));
        return round;
    }

    private static Mqtt5BlockingClient client(
            Device device, InetSocketAddress address, FleetDomain domain, TrustManagerFactory trust) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] secret = "bench".toCharArray();
        X509Certificate certificate = LocalPki.parseCertificate(device.certificatePem());
        keys.setKeyEntry("device", device.key(), secret, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, secret);
        MqttClientSslConfig tls = MqttClientSslConfig.builder()
                .keyManagerFactory(keyManagers)
                .trustManagerFactory(trust)
                .build();
        // The custom name with the region's address, as the DNS answers it: sent as SNI and verified against the
        // server's certificate.
        InetSocketAddress named = new InetSocketAddress(
                InetAddress.getByAddress(
                        domain.iotEndpoint(), address.getAddress().getAddress()),
                address.getPort());
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(device.thingName())
                .serverAddress(named)
                .sslConfig(tls)
                .buildBlocking();
    }

    private static TrustManagerFactory trust(LocalPki pki) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("root", LocalPki.parseCertificate(pki.rootCaPem()));
        // PKIX by name: the broker started in this process makes its any-client-certificate trust the default
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trusted);
        return factory;
    }

    private static int freePort(InetAddress address) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
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
