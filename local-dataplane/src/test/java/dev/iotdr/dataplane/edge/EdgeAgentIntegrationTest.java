package dev.iotdr.dataplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.dataplane.broker.IotCoreRules;
import dev.iotdr.dataplane.broker.RegionalBroker;
import dev.iotdr.dataplane.broker.RegistryView;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.edge.EdgeAgent;
import dev.iotdr.edge.EndpointResolver;
import dev.iotdr.edge.TelemetryBuffer;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.domain.FleetDomain;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent against two regional endpoints (the local data plane's broker with IoT Core's rules, one per region
 * address, both on one port as real regional endpoints are) and a DNS it is told to ask: it follows the name when
 * the DNS moves it, and what it produced while the first region was gone reaches the second, oldest first, each
 * message once acknowledged.
 */
class EdgeAgentIntegrationTest {
    private static final FleetDomain DOMAIN = FleetDomain.of("edge-test.example.test");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private record Received(String region, JsonNode message) {}

    @Test
    void theAgentFollowsTheNameToTheOtherRegionAndDeliversWhatItBufferedMeanwhile() throws Exception {
        char[] password = "edge-test-password".toCharArray();
        LocalPki pki = new LocalPki(work.resolve("pki"), password);
        pki.ensure(DOMAIN);
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        String thing = "edge-device-1";
        RegistryView.Principal principal = new RegistryView.Principal(
                IotCoreRules.certificateId(certificate),
                true,
                "ACTIVE",
                "arn:aws:iot:us-east-1:123456789012:cert/" + IotCoreRules.certificateId(certificate),
                List.of(thing),
                List.of(DevicePolicy.document()));
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = portFreeOnBoth("127.0.1.1", "127.0.2.1");
        RegionalBroker first = broker("first", "127.0.1.1", port, principal, received, pki, password);
        RegionalBroker second = broker("second", "127.0.2.1", port, principal, received, pki, password);
        List<String> connections = new CopyOnWriteArrayList<>();

        try (TestDns dns = new TestDns();
                TelemetryBuffer buffer =
                        TelemetryBuffer.open(work.resolve("buffer.mv"), work.resolve("buffer.key"), 1000)) {
            dns.point(DOMAIN.iotEndpoint(), "127.0.1.1", 1);
            EndpointResolver resolver =
                    new EndpointResolver(DOMAIN.iotEndpoint(), Optional.of(dns.address()), Clock.systemUTC());
            EdgeAgent.Events events = new EdgeAgent.Events() {
                @Override
                public void connected(String thingName, InetAddress endpoint, Instant at) {
                    connections.add(endpoint.getHostAddress());
                }
            };
            DeviceIdentity identity = new DeviceIdentity(
                    thing, certificate, keys.getPrivate(), LocalPki.parseCertificate(pki.rootCaPem()));
            try (EdgeAgent agent = new EdgeAgent(
                    identity, resolver, port, buffer, events, Clock.systemUTC(), new SplittableRandom(3))) {
                agent.start();
                for (int i = 0; i < 5; i++) {
                    agent.produce(Map.of("reading", i));
                }
                await(() -> received.stream()
                                .filter(r -> r.region().equals("first"))
                                .count()
                        == 5);
                assertThat(connections).containsExactly("127.0.1.1");

                first.close(); // the first region goes
                for (int i = 5; i < 10; i++) {
                    agent.produce(Map.of("reading", i));
                }
                await(() -> agent.status().buffered() == 5 && !agent.status().connected());

                dns.point(DOMAIN.iotEndpoint(), "127.0.2.1", 1); // the failover moves the name
                await(() -> received.stream()
                                .filter(r -> r.region().equals("second"))
                                .count()
                        == 5);

                assertThat(connections).containsExactly("127.0.1.1", "127.0.2.1");
                assertThat(received.stream()
                                .filter(r -> r.region().equals("second"))
                                .map(r -> r.message().path("seq").asLong()))
                        .containsExactly(6L, 7L, 8L, 9L, 10L);
                assertThat(received.stream()
                                .map(r -> r.message().path("messageId").asString())
                                .distinct())
                        .hasSize(10);
                await(() -> agent.status().acknowledged() == 10);
                EdgeAgent.Status status = agent.status();
                assertThat(status.produced()).isEqualTo(10);
                assertThat(status.buffered()).isZero();
                assertThat(status.dropped()).isZero();
                assertThat(status.refusals()).isZero();
                assertThat(status.endpoint()).map(InetAddress::getHostAddress).contains("127.0.2.1");
                assertThat(dns.queries(DOMAIN.iotEndpoint())).isGreaterThan(1);
            }
        } finally {
            second.close();
        }
    }

    @Test
    void aConnectedAgentLeavesForTheNamesNewAddressWhenTheOldOneStillWorksAsAfterAFailback() throws Exception {
        char[] password = "edge-test-password".toCharArray();
        LocalPki pki = new LocalPki(work.resolve("pki"), password);
        pki.ensure(DOMAIN);
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        String thing = "edge-device-1";
        RegistryView.Principal principal = new RegistryView.Principal(
                IotCoreRules.certificateId(certificate),
                true,
                "ACTIVE",
                "arn:aws:iot:us-east-1:123456789012:cert/" + IotCoreRules.certificateId(certificate),
                List.of(thing),
                List.of(DevicePolicy.document()));
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = portFreeOnBoth("127.0.1.1", "127.0.2.1");
        RegionalBroker first = broker("first", "127.0.1.1", port, principal, received, pki, password);
        RegionalBroker second = broker("second", "127.0.2.1", port, principal, received, pki, password);
        List<String> connections = new CopyOnWriteArrayList<>();
        List<String> departures = new CopyOnWriteArrayList<>();

        try (TestDns dns = new TestDns();
                TelemetryBuffer buffer =
                        TelemetryBuffer.open(work.resolve("buffer.mv"), work.resolve("buffer.key"), 1000)) {
            dns.point(DOMAIN.iotEndpoint(), "127.0.2.1", 1); // failed over: the fleet is on the second region
            EndpointResolver resolver =
                    new EndpointResolver(DOMAIN.iotEndpoint(), Optional.of(dns.address()), Clock.systemUTC());
            EdgeAgent.Events events = new EdgeAgent.Events() {
                @Override
                public void connected(String thingName, InetAddress endpoint, Instant at) {
                    connections.add(endpoint.getHostAddress());
                }

                @Override
                public void disconnected(String thingName, InetAddress endpoint, Instant at, String why) {
                    departures.add(endpoint.getHostAddress() + ": " + why);
                }
            };
            DeviceIdentity identity = new DeviceIdentity(
                    thing, certificate, keys.getPrivate(), LocalPki.parseCertificate(pki.rootCaPem()));
            try (EdgeAgent agent = new EdgeAgent(
                    identity, resolver, port, buffer, events, Clock.systemUTC(), new SplittableRandom(5))) {
                agent.start();
                agent.produce(Map.of("reading", 1));
                await(() -> agent.status().acknowledged() == 1);
                assertThat(connections).containsExactly("127.0.2.1");

                dns.point(DOMAIN.iotEndpoint(), "127.0.1.1", 1); // failback: the name returns, both regions up
                await(() -> agent.status()
                        .endpoint()
                        .map(InetAddress::getHostAddress)
                        .equals(Optional.of("127.0.1.1")));
                agent.produce(Map.of("reading", 2));
                await(() -> agent.status().acknowledged() == 2);

                assertThat(connections).containsExactly("127.0.2.1", "127.0.1.1");
                assertThat(departures).containsExactly("127.0.2.1: the name moved to 127.0.1.1");
                assertThat(received)
                        .extracting(
                                r -> r.region() + " " + r.message().path("seq").asLong())
                        .containsExactly("second 1", "first 2");
                assertThat(agent.status().buffered()).isZero();
            }
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aConnectedAgentStaysWhileTheNameListsItsEndpointAmongOthersInAnyOrder() throws Exception {
        char[] password = "edge-test-password".toCharArray();
        LocalPki pki = new LocalPki(work.resolve("pki"), password);
        pki.ensure(DOMAIN);
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        String thing = "edge-device-1";
        RegistryView.Principal principal = new RegistryView.Principal(
                IotCoreRules.certificateId(certificate),
                true,
                "ACTIVE",
                "arn:aws:iot:us-east-1:123456789012:cert/" + IotCoreRules.certificateId(certificate),
                List.of(thing),
                List.of(DevicePolicy.document()));
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = portFreeOnBoth("127.0.1.1", "127.0.2.1");
        RegionalBroker first = broker("first", "127.0.1.1", port, principal, received, pki, password);
        List<String> departures = new CopyOnWriteArrayList<>();

        try (TestDns dns = new TestDns();
                TelemetryBuffer buffer =
                        TelemetryBuffer.open(work.resolve("buffer.mv"), work.resolve("buffer.key"), 1000)) {
            // one endpoint, two addresses, listed in turn first (as IoT Core's endpoint names are answered)
            dns.pointRotating(DOMAIN.iotEndpoint(), List.of("127.0.1.1", "127.0.3.1"), 1);
            EndpointResolver resolver =
                    new EndpointResolver(DOMAIN.iotEndpoint(), Optional.of(dns.address()), Clock.systemUTC());
            EdgeAgent.Events events = new EdgeAgent.Events() {
                @Override
                public void disconnected(String thingName, InetAddress endpoint, Instant at, String why) {
                    departures.add(endpoint.getHostAddress() + ": " + why);
                }
            };
            DeviceIdentity identity = new DeviceIdentity(
                    thing, certificate, keys.getPrivate(), LocalPki.parseCertificate(pki.rootCaPem()));
            try (EdgeAgent agent = new EdgeAgent(
                    identity, resolver, port, buffer, events, Clock.systemUTC(), new SplittableRandom(7))) {
                agent.start();
                agent.produce(Map.of("reading", 1));
                await(() -> agent.status().acknowledged() == 1);
                int askedWhenConnected = dns.queries(DOMAIN.iotEndpoint());

                // the answers' TTL runs out again and again; half of them list the other address first
                await(() -> dns.queries(DOMAIN.iotEndpoint()) >= askedWhenConnected + 4);
                agent.produce(Map.of("reading", 2));
                await(() -> agent.status().acknowledged() == 2);

                assertThat(departures).isEmpty();
                assertThat(agent.status().endpoint())
                        .map(InetAddress::getHostAddress)
                        .contains("127.0.1.1");
                assertThat(received).hasSize(2);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void anAgentStartedAgainOnItsBufferSendsWhatTheLastOneLeftOldestFirstWithTheSameIds() throws Exception {
        char[] password = "edge-test-password".toCharArray();
        LocalPki pki = new LocalPki(work.resolve("pki"), password);
        pki.ensure(DOMAIN);
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        String thing = "edge-device-1";
        RegistryView.Principal principal = new RegistryView.Principal(
                IotCoreRules.certificateId(certificate),
                true,
                "ACTIVE",
                "arn:aws:iot:us-east-1:123456789012:cert/" + IotCoreRules.certificateId(certificate),
                List.of(thing),
                List.of(DevicePolicy.document()));
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = portFreeOnBoth("127.0.1.1", "127.0.2.1");
        DeviceIdentity identity =
                new DeviceIdentity(thing, certificate, keys.getPrivate(), LocalPki.parseCertificate(pki.rootCaPem()));
        List<String> stored = new java.util.ArrayList<>();

        try (TestDns dns = new TestDns()) {
            dns.point(DOMAIN.iotEndpoint(), "127.0.1.1", 1); // no endpoint listens there yet
            // a first life: readings stored while no endpoint answers, then the agent stops (the process ends)
            try (TelemetryBuffer buffer =
                            TelemetryBuffer.open(work.resolve("buffer.mv"), work.resolve("buffer.key"), 1000);
                    EdgeAgent agent = new EdgeAgent(
                            identity,
                            new EndpointResolver(DOMAIN.iotEndpoint(), Optional.of(dns.address()), Clock.systemUTC()),
                            port,
                            buffer,
                            new EdgeAgent.Events() {},
                            Clock.systemUTC(),
                            new SplittableRandom(11))) {
                agent.start();
                for (int i = 0; i < 5; i++) {
                    agent.produce(Map.of("reading", i));
                }
                for (TelemetryBuffer.Entry entry : buffer.oldest(thing, 0, 10)) {
                    stored.add(JSON.readTree(entry.message()).path("messageId").asString());
                }
            }
            assertThat(stored).hasSize(5);

            // a second life on the same buffer, with the endpoint up
            RegionalBroker first = broker("first", "127.0.1.1", port, principal, received, pki, password);
            try (TelemetryBuffer buffer =
                            TelemetryBuffer.open(work.resolve("buffer.mv"), work.resolve("buffer.key"), 1000);
                    EdgeAgent agent = new EdgeAgent(
                            identity,
                            new EndpointResolver(DOMAIN.iotEndpoint(), Optional.of(dns.address()), Clock.systemUTC()),
                            port,
                            buffer,
                            new EdgeAgent.Events() {},
                            Clock.systemUTC(),
                            new SplittableRandom(13))) {
                agent.start();
                await(() -> received.size() == 5);
                await(() -> agent.status().buffered() == 0);

                assertThat(received)
                        .extracting(r -> r.message().path("messageId").asString())
                        .containsExactlyElementsOf(stored);
                assertThat(received)
                        .extracting(r -> r.message().path("seq").asLong())
                        .containsExactly(1L, 2L, 3L, 4L, 5L);
            } finally {
                first.close();
            }
        }
    }

    private static RegionalBroker broker(
            String region,
            String address,
            int port,
            RegistryView.Principal principal,
            List<Received> received,
            LocalPki pki,
            char[] password)
            throws Exception {
        IotCoreRules rules = new IotCoreRules(
                "us-east-1",
                List.of(DOMAIN.iotEndpoint()),
                id -> CompletableFuture.completedFuture(
                        id.equals(principal.certificateId())
                                ? principal
                                : new RegistryView.Principal(id, false, "UNKNOWN", "", List.of(), List.of())),
                (topic, payload, clientId, certificate, at) -> {
                    if (topic.startsWith("dt/")) {
                        received.add(new Received(region, JSON.readTree(new String(payload, StandardCharsets.UTF_8))));
                    }
                },
                Clock.systemUTC());
        return RegionalBroker.start(
                new InetSocketAddress(InetAddress.getByName(address), port),
                pki.serverKeystore(),
                password,
                rules,
                Path.of(System.getProperty("java.io.tmpdir")).resolve("edge-test-" + region + "-" + port));
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=edge-device-1");
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.ONE,
                                Date.from(Instant.now().minus(Duration.ofHours(1))),
                                Date.from(Instant.now().plus(Duration.ofDays(1))),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** A port free on both addresses (regional endpoints share their port and differ by address). */
    private static int portFreeOnBoth(String a, String b) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(a));
                    ServerSocket second = new ServerSocket(first.getLocalPort(), 1, InetAddress.getByName(b))) {
                return second.getLocalPort();
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no port free on both " + a + " and " + b);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
