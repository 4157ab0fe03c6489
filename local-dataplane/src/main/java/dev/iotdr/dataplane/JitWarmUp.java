package dev.iotdr.dataplane;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.iotdr.dataplane.broker.IotCoreRules;
import dev.iotdr.dataplane.broker.MessageRoute;
import dev.iotdr.dataplane.broker.PrincipalLookup;
import dev.iotdr.dataplane.broker.RegionalBroker;
import dev.iotdr.dataplane.broker.RegistryView;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs device connects through the endpoint's code before the region's endpoint opens, so that a failover's reconnect
 * storm meets compiled code. IoT Core is always warm; a local endpoint that has served nobody is not: measured in the
 * drill, the secondary's data plane spent the first seconds of the storm at a full core, mostly compiling the TLS,
 * MQTT and IoT Core rules paths, and admitted devices at a fraction of its warm rate (bench/RESULTS.md).
 *
 * <p>How, without a way in to the real endpoint: a throwaway broker with the same code (TLS with the region's server
 * certificate, MQTT 5, the IoT Core rules: certificate id, SNI, client id = thing, policy evaluation, publish
 * authorisation, lifecycle events) listens on a free loopback port for the warm-up only. It knows one certificate,
 * made in memory for it and never written or registered anywhere, routes nothing anywhere, and is stopped (its
 * working directory removed) before the regional endpoint starts. The registry reads are not warmed: the region's
 * topic rules already read the same registry through the same client every two seconds.
 */
final class JitWarmUp {
    private static final Logger log = LoggerFactory.getLogger(JitWarmUp.class);
    private static final int CLIENTS = 4;
    /** The warm-up stops after this long whatever it has done: a slow machine starts less warm, never late. */
    private static final Duration BUDGET = Duration.ofSeconds(30);

    private JitWarmUp() {}

    /** Makes {@code connects} connects (each with a QoS 1 publish) to a throwaway broker; returns how long it took. */
    static Duration run(Region region, FleetDomain domain, LocalPki pki, Path workRoot, int connects) {
        Instant started = Instant.now();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048); // as the keys IoT Core makes for devices
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(keys);
            String certificateId = IotCoreRules.certificateId(certificate);
            List<String> things = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                things.add("jit-warm-up-" + i);
            }
            RegistryView.Principal known = new RegistryView.Principal(
                    certificateId,
                    true,
                    "ACTIVE",
                    "arn:aws:iot:" + region.code() + ":000000000000:cert/" + certificateId,
                    things,
                    List.of(DevicePolicy.document()));
            PrincipalLookup lookup = id -> CompletableFuture.completedFuture(
                    id.equals(certificateId)
                            ? known
                            : new RegistryView.Principal(id, false, "UNKNOWN", "", List.of(), List.of()));
            IotCoreRules rules = new IotCoreRules(
                    region.code(), List.of(domain.iotEndpoint()), lookup, MessageRoute.NONE, Clock.systemUTC());
            InetAddress loopback = InetAddress.getLoopbackAddress();
            Path work = workRoot.resolve("jit-warm-up");
            if (Files.exists(work)) {
                delete(work); // left by a process killed while warming up (its broker config names the keystore)
            }
            Files.createDirectories(work);
            try (RegionalBroker broker = RegionalBroker.start(
                    new InetSocketAddress(loopback, freePort(loopback)),
                    pki.serverKeystore(),
                    pki.password(),
                    rules,
                    work)) {
                // the custom name rides on the address: sent as SNI, checked against the server's certificate
                InetSocketAddress endpoint = new InetSocketAddress(
                        InetAddress.getByAddress(domain.iotEndpoint(), loopback.getAddress()),
                        broker.address().getPort());
                int made = connect(things, certificate, keys, pki, endpoint, connects);
                Duration took = Duration.between(started, Instant.now());
                log.info("warmed the endpoint's code with {} device connects in {} ms", made, took.toMillis());
                return took;
            } finally {
                delete(work);
            }
        } catch (java.security.GeneralSecurityException | IOException | RuntimeException | LinkageError e) {
            // a cold endpoint still works, only slower at first: say so and go on
            log.warn("could not warm the endpoint's code ({}); it starts cold", e.toString());
            return Duration.between(started, Instant.now());
        }
    }

    private static int connect(
            List<String> things,
            X509Certificate certificate,
            KeyPair keys,
            LocalPki pki,
            InetSocketAddress endpoint,
            int connects)
            throws IOException {
        AtomicInteger made = new AtomicInteger();
        Instant deadline = Instant.now().plus(BUDGET);
        ExecutorService workers = Executors.newFixedThreadPool(things.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String thing : things) {
                DeviceIdentity identity = new DeviceIdentity(
                        thing, certificate, keys.getPrivate(), LocalPki.parseCertificate(pki.rootCaPem()));
                running.add(workers.submit(() -> {
                    while (made.get() < connects && Instant.now().isBefore(deadline)) {
                        Mqtt5BlockingClient client = MqttClient.builder()
                                .useMqttVersion5()
                                .identifier(thing)
                                .serverAddress(endpoint)
                                .sslConfig(MqttClientSslConfig.builder()
                                        .keyManagerFactory(identity.keyManagers())
                                        .trustManagerFactory(identity.trustManagers())
                                        .build())
                                .buildBlocking();
                        client.connectWith().cleanStart(true).send();
                        client.publishWith()
                                .topic("dt/fleet/" + thing + "/telemetry")
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .payload("{\"seq\":1,\"metrics\":{\"t\":1}}".getBytes(StandardCharsets.UTF_8))
                                .send();
                        client.disconnect();
                        made.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get(BUDGET.toSeconds() + 20, TimeUnit.SECONDS); // one connect may outlast the budget
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("warm-up connects failed after " + made.get() + ": " + e.getCause(), e);
        } finally {
            workers.shutdownNow();
        }
        return made.get();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws java.security.GeneralSecurityException {
        X500Name name = new X500Name("CN=jit-warm-up");
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    new BigInteger(64, new SecureRandom()),
                                    Date.from(Instant.now().minus(Duration.ofMinutes(5))),
                                    Date.from(Instant.now().plus(Duration.ofHours(1))),
                                    name,
                                    keys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new java.security.GeneralSecurityException("cannot sign the warm-up certificate", e);
        }
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
