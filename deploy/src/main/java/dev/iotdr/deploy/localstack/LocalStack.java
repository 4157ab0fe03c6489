package dev.iotdr.deploy.localstack;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudException;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local cloud plus every service module that is built, in every region. A region can be taken down for
 * real (its services, then its emulator) and brought back (emulator, then services, which re-create what
 * they need in the empty region).
 */
final class LocalStack implements AutoCloseable {
    /** A service module the stack knows: its state key, its jar, and what the local stack tells it. */
    private record ServiceModule(String key, String jar, List<String> arguments) {}

    private static final List<ServiceModule> MODULES = List.of(
            new ServiceModule(
                    "onboarding",
                    "onboarding-service/target/onboarding-service.jar",
                    // moto issues certificates from a CSR for another key; AWS never does (README).
                    List.of("--iotdr.onboarding.verify-issued-certificate-key=false")),
            new ServiceModule(
                    "replication",
                    "replication-service/target/replication-service.jar",
                    // The emulator has no global tables: replication copies records between regions.
                    List.of("--iotdr.replication.mode=TABLE_COPY")),
            new ServiceModule(
                    "failover",
                    "failover-service/target/failover-service.jar",
                    List.of(
                            "--iotdr.failover.probe-interval=2s",
                            "--iotdr.failover.failures-to-trip=3",
                            "--iotdr.failover.successes-to-recover=2",
                            "--iotdr.failover.cooldown=30s",
                            "--iotdr.failover.ttl=5s")),
            new ServiceModule(
                    "telemetry",
                    "telemetry-ingest/target/telemetry-ingest.jar",
                    // the emulator's transactions copy a table while other requests change it, and its one Python
                    // process is what a failover's reconnect storm needs for admission: one presence writer and ten
                    // queue messages in flight, not 40 (a 200-device drill: p99 20.04 s with 40, 16.5 s with 10;
                    // bench/RESULTS.md and docs/telemetry.md)
                    List.of("--iotdr.telemetry.presence-writers=1", "--iotdr.telemetry.max-concurrent-messages=10")));

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** After the services are ready: DNS records created and two probes of every region, a few seconds. */
    private static final Duration DECIDERS_READY_WITHIN = Duration.ofSeconds(45);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where devices reach a region's MQTT endpoint and its api load balancer, as on AWS: fixed ports. */
    static final int MQTT_PORT = 8883;

    static final int API_PORT = 8443;
    static final String DATA_PLANE = "dataplane";
    /**
     * The data plane stops its broker (HiveMQ gets up to 30 s) and then drains the topic rules' queued executions
     * (up to 30 s, {@code TopicRulesSettings.DEFAULTS}); killed earlier, messages it has acknowledged would be lost.
     */
    static final Duration DATA_PLANE_STOP_GRACE = Duration.ofSeconds(75);
    /**
     * The data plane terminates TLS for the whole fleet: with the full JIT (C2's big-integer intrinsics make RSA
     * handshakes several times faster than C1 alone) and a heap for its connections.
     */
    static final List<String> DATA_PLANE_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Xss512k");

    private final LocalCloud cloud;
    private final FleetDomain domain;
    private final LocalSecrets secrets;
    private final Path stateDirectory;
    private final int loopbackBlock;
    private final Map<Region, List<ServiceProcess>> services = new LinkedHashMap<>();
    /** The local DNS for the custom names (global, like Route 53); absent when the data plane is not built. */
    private final ServiceProcess dns;

    /** Picked just before the DNS starts (a port picked long before could be taken by then). */
    private volatile int dnsPort;

    LocalStack(LocalCloud cloud, FleetDomain domain, Path repositoryRoot, Path stateDirectory) {
        this.cloud = cloud;
        this.domain = domain;
        this.secrets = new LocalSecrets(stateDirectory.resolve("secrets"));
        this.stateDirectory = stateDirectory;
        this.loopbackBlock = loopbackBlock();
        Path dataPlaneClasspath = repositoryRoot.resolve("local-dataplane/target/runtime-classpath.txt");
        String classpath = null;
        if (Files.isRegularFile(dataPlaneClasspath)) {
            try {
                classpath = repositoryRoot.resolve("local-dataplane/target/classes") + ":"
                        + Files.readString(dataPlaneClasspath).strip();
            } catch (java.io.IOException e) {
                throw new LocalCloudException("cannot read " + dataPlaneClasspath, e);
            }
        }
        this.dns = classpath == null
                ? null
                : ServiceProcess.mainClass(
                        "dns",
                        "global",
                        classpath,
                        "dev.iotdr.dataplane.dns.DnsMain",
                        List.of(),
                        stateDirectory.resolve("logs").resolve("dns.log"),
                        Duration.ofSeconds(15),
                        ServiceProcess.SMALL_JVM);
        for (Region region : cloud.regions()) {
            List<ServiceProcess> regional = new ArrayList<>();
            if (classpath != null) {
                regional.add(ServiceProcess.mainClass(
                        DATA_PLANE,
                        region.code(),
                        classpath,
                        "dev.iotdr.dataplane.DataPlaneMain",
                        List.of(),
                        stateDirectory.resolve("logs").resolve(DATA_PLANE + "-" + region.code() + ".log"),
                        DATA_PLANE_STOP_GRACE,
                        DATA_PLANE_JVM));
            }
            for (ServiceModule module : MODULES) {
                Path jar = repositoryRoot.resolve(module.jar());
                if (Files.isRegularFile(jar)) {
                    regional.add(new ServiceProcess(
                            module.key(),
                            region.code(),
                            jar,
                            module.arguments(),
                            stateDirectory.resolve("logs").resolve(module.key() + "-" + region.code() + ".log")));
                }
            }
            services.put(region, regional);
        }
    }

    LocalCloud cloud() {
        return cloud;
    }

    /** The region's loopback address: {@code 127.<block>.<n>.1} for the n-th region (block 0 unless set). */
    String address(Region region) {
        return "127." + loopbackBlock + "." + (cloud.regions().indexOf(region) + 1) + ".1";
    }

    java.util.Optional<ServiceProcess> dns() {
        return java.util.Optional.ofNullable(dns);
    }

    java.util.Optional<String> dnsAddress() {
        int port = dnsPort;
        return port == 0 ? java.util.Optional.empty() : java.util.Optional.of("127.0.0.1:" + port);
    }

    Path pkiDirectory() {
        return stateDirectory.resolve("pki");
    }

    boolean hasDataPlane() {
        return dns != null;
    }

    /**
     * {@code IOTDR_LOOPBACK_BLOCK} (0 to 254) moves every regional address to {@code 127.<block>.x.1}, so a second
     * stack (the test drill's) can run beside a developer's without taking the same fixed ports.
     */
    private static int loopbackBlock() {
        String configured = System.getenv("IOTDR_LOOPBACK_BLOCK");
        if (configured == null || configured.isBlank()) {
            return 0;
        }
        try {
            int block = Integer.parseInt(configured.strip());
            if (block >= 0 && block <= 254) {
                return block;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LocalCloudException("IOTDR_LOOPBACK_BLOCK must be 0 to 254, was " + configured);
    }

    private static int freeLoopbackPort() {
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(
                        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                java.net.ServerSocket tcp =
                        new java.net.ServerSocket(udp.getLocalPort(), 1, java.net.InetAddress.getLoopbackAddress())) {
            return tcp.getLocalPort(); // free for UDP and TCP both
        } catch (java.io.IOException e) {
            return freeLoopbackPort(); // the TCP port was taken; another pair
        }
    }

    Map<Region, List<ServiceProcess>> services() {
        return services;
    }

    /**
     * Starts every service in every region and waits until all are ready, and then until every region's
     * failover decider is: the failover records exist in DNS and it has seen every region healthy (a drill
     * that started before that found no active region).
     */
    void startServices() {
        inParallel(cloud.regions(), this::startServices);
        awaitDeciders(DECIDERS_READY_WITHIN);
        if (dns != null) {
            // After the deciders: the first of them creates the hosted zone the DNS answers from.
            if (dns.pid().isEmpty()) {
                dnsPort = freeLoopbackPort();
            }
            dns.start(dnsArguments(), Map.of());
            dns.awaitReady(READY_WITHIN);
        }
    }

    /** Waits until every failover service reports an active region and every region healthy. */
    void awaitDeciders(Duration within) {
        List<ServiceProcess> deciders = services.values().stream()
                .flatMap(List::stream)
                .filter(service -> service.name().equals("failover"))
                .toList();
        if (deciders.isEmpty()) {
            return;
        }
        String token = LocalStackTokens.token(secrets.get("jwt-secret"), "ops:read");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + within.toNanos();
        List<String> waiting = List.of();
        while (System.nanoTime() < deadline) {
            waiting = deciders.stream()
                    .filter(service -> !deciderReady(http, service, token))
                    .map(service -> "failover in " + service.region())
                    .toList();
            if (waiting.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalCloudException("interrupted", e);
            }
        }
        throw new LocalCloudException("no failover records or not every region probed healthy within " + within + " by "
                + waiting + "; see their logs");
    }

    private static boolean deciderReady(HttpClient http, ServiceProcess service, String token) {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(service.url().resolve("/v1/regions"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return false;
            }
            JsonNode regions = JSON.readTree(answer.body());
            if (regions.path("activeRegion").isNull()
                    || regions.path("activeRegion").isMissingNode()) {
                return false;
            }
            for (JsonNode region : regions.path("regions")) {
                if (!"HEALTHY".equals(region.path("health").asString())) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void stopRegion(Region region) {
        inParallel(services.get(region), ServiceProcess::stop);
        cloud.stopRegion(region);
    }

    void startRegion(Region region) {
        cloud.startRegion(region);
        startServices(region);
    }

    /** Stops a region's services only; its emulator keeps running with its state (benchmarks load data so). */
    void stopServices(Region region) {
        inParallel(services.get(region), ServiceProcess::stop);
    }

    /** Starts a region's services (on their ports) and waits until they are ready. */
    void startServices(Region region) {
        List<ServiceProcess> regional = services.get(region);
        // The data plane first: it makes the PKI whose root CA onboarding hands out.
        List<ServiceProcess> dataPlane = regional.stream()
                .filter(service -> service.name().equals(DATA_PLANE))
                .toList();
        for (ServiceProcess service : dataPlane) {
            service.start(dataPlaneArguments(region), Map.of("IOTDR_PKI_PASSWORD", secrets.get("pki-password")));
        }
        inParallel(dataPlane, service -> service.awaitReady(READY_WITHIN));
        List<ServiceProcess> others = regional.stream()
                .filter(service -> !service.name().equals(DATA_PLANE))
                .toList();
        for (ServiceProcess service : others) {
            service.start(
                    arguments(region),
                    Map.of(
                            "IOTDR_SECURITY_JWTSECRET", secrets.get("jwt-secret"),
                            "IOTDR_ONBOARDING_PRIVATEKEYENCRYPTIONKEY", secrets.get("private-key-encryption-key")));
        }
        inParallel(others, service -> service.awaitReady(READY_WITHIN));
    }

    private List<String> dataPlaneArguments(Region region) {
        List<String> arguments = new ArrayList<>(List.of(
                "--region=" + region.code(),
                "--iot-endpoint=" + cloud.endpoint(region),
                "--domain=" + domain.name(),
                "--address=" + address(region),
                "--mqtt-port=" + MQTT_PORT,
                "--api-port=" + API_PORT,
                "--pki-dir=" + pkiDirectory(),
                "--work-dir=" + stateDirectory.resolve("dataplane-" + region.code())));
        services.get(region).stream()
                .filter(service -> service.name().equals("onboarding"))
                .forEach(service -> arguments.add("--route=/v1/devices=" + service.url()));
        services.get(region).stream()
                .filter(service -> service.name().equals("telemetry"))
                .forEach(service -> {
                    arguments.add("--route=/v1/telemetry=" + service.url());
                    arguments.add("--route=/v1/fleet=" + service.url());
                    arguments.add("--route=/v1/devices/*/telemetry=" + service.url());
                });
        return arguments;
    }

    private List<String> dnsArguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "--route53-endpoint=" + cloud.globalEndpoint(),
                "--domain=" + domain.name(),
                "--bind=127.0.0.1",
                "--port=" + dnsPort));
        cloud.regions().forEach(region -> arguments.add("--region=" + region.code() + "=" + address(region)));
        return arguments;
    }

    private List<String> arguments(Region region) {
        List<String> arguments = new ArrayList<>(List.of(
                "--iotdr.region=" + region.code(),
                "--iotdr.topology="
                        + String.join(
                                ",", cloud.regions().stream().map(Region::code).toList()),
                "--iotdr.domain=" + domain.name(),
                "--iotdr.aws.global-endpoint=" + cloud.globalEndpoint(),
                // Dummy credentials: the emulator accepts any.
                "--iotdr.aws.access-key-id=testing",
                "--iotdr.aws.secret-access-key=testing",
                "--iotdr.security.jwt-issuer=iotdr-local"));
        cloud.endpoints().forEach((r, uri) -> arguments.add("--iotdr.aws.endpoints." + r.code() + "=" + uri));
        if (hasDataPlane()) {
            // Devices trust the local root CA as they trust Amazon's on AWS; onboarding hands it out.
            arguments.add("--iotdr.onboarding.root-ca=file:" + pkiDirectory().resolve("root-ca.pem"));
            // api.<domain> points at each region's load balancer name, which the local DNS answers as AWS would.
            cloud.regions()
                    .forEach(each -> arguments.add("--iotdr.failover.regions." + each.code() + ".api-target=iotdr-api."
                            + each.code() + ".elb.amazonaws.com"));
        }
        // Where every region's services are, for the failover service's probes and lag checks.
        services.forEach((each, regional) -> regional.forEach(service -> {
            if (service.name().equals("onboarding")) {
                arguments.add("--iotdr.failover.regions." + each.code() + ".onboarding-url=" + service.url());
            } else if (service.name().equals("replication")) {
                arguments.add("--iotdr.failover.regions." + each.code() + ".replication-url=" + service.url());
            }
        }));
        return arguments;
    }

    @Override
    public void close() {
        try {
            inParallel(services.values().stream().flatMap(List::stream).toList(), ServiceProcess::stop);
            if (dns != null) {
                dns.stop();
            }
        } finally {
            cloud.close();
        }
    }

    private static <T> void inParallel(List<T> items, java.util.function.Consumer<T> action) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(executor.submit(() -> action.accept(item)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new LocalCloudException("local stack action failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalCloudException("interrupted", e);
        }
    }
}
