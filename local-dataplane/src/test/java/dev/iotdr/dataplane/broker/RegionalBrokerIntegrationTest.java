package dev.iotdr.dataplane.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.dataplane.support.MovableClock;
import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each region's broker against the real emulator's registry: who IoT Core lets in, and what it lets them do.
 * moto computes certificate ids as AWS does here only because the local cloud starts it with
 * {@code iot.use_valid_cert}; without that the broker (which sees the DER) would find no certificate.
 */
@ExtendWith(LocalCloudExtension.class)
class RegionalBrokerIntegrationTest {
    private static final FleetDomain DOMAIN = FleetDomain.of("broker-test.example.test");
    private static final Duration REGISTRY_BOUND = Duration.ofSeconds(1);

    @TempDir
    static Path work;

    private static LocalPki pki;
    private static RegionalAwsClients clients;
    private static Region first;
    private static Region second;
    private static RegionalBroker firstBroker;
    private static RegionalBroker secondBroker;
    private static final List<String> routed = new CopyOnWriteArrayList<>();
    private static final ExecutorService lookups = Executors.newFixedThreadPool(8);
    /** The registry view's clock: the tests move it past the bound instead of sleeping. */
    private static final MovableClock registryClock = new MovableClock();

    @BeforeAll
    static void start(LocalCloud cloud, RegionalAwsClients awsClients) throws Exception {
        clients = awsClients;
        first = cloud.regions().get(0);
        second = cloud.regions().get(1);
        pki = new LocalPki(work.resolve("pki"), "broker-test-password".toCharArray());
        pki.ensure(DOMAIN);
        firstBroker = broker(first, "127.0.1.1");
        secondBroker = broker(second, "127.0.2.1");
    }

    private static RegionalBroker broker(Region region, String address) throws Exception {
        IotCoreRules rules = new IotCoreRules(
                region.code(),
                List.of(DOMAIN.iotEndpoint(), ".iot." + region.code() + ".amazonaws.com"),
                new RegistryView(clients.iot(region), REGISTRY_BOUND, 10_000, lookups, registryClock),
                (topic, payload, clientId, principal, at) ->
                        routed.add(topic + " " + new String(payload, StandardCharsets.UTF_8)),
                Clock.systemUTC());
        return RegionalBroker.start(
                new InetSocketAddress(InetAddress.getByName(address), freePort(address)),
                pki.serverKeystore(),
                "broker-test-password".toCharArray(),
                rules,
                work.resolve("broker-" + region.code()));
    }

    @AfterAll
    static void stop() {
        if (firstBroker != null) {
            firstBroker.close();
        }
        if (secondBroker != null) {
            secondBroker.close();
        }
        lookups.shutdownNow();
    }

    @Test
    void aRegisteredActiveAttachedDeviceConnectsOverMqtt5And311AndPublishesItsTelemetry() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));

        Mqtt5BlockingClient client = device.mqtt5(device.thingName(), firstBroker.address(), DOMAIN.iotEndpoint(), pki);
        client.connect();
        Mqtt5PublishResult published = client.publishWith()
                .topic("dt/fleet/" + device.thingName() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"messageId\":\"m1\",\"seq\":1}".getBytes(StandardCharsets.UTF_8))
                .send();
        client.disconnect();

        assertThat(published.getError()).isEmpty();
        assertThat(routed).contains("dt/fleet/" + device.thingName() + "/telemetry {\"messageId\":\"m1\",\"seq\":1}");

        var mqtt3 = device.mqtt3(device.thingName(), firstBroker.address(), DOMAIN.iotEndpoint(), pki);
        assertThat(mqtt3.connect().getReturnCode().isError()).isFalse();
        mqtt3.disconnect();
    }

    @Test
    void aCertificateRegisteredOnlyInTheFirstRegionIsRefusedByTheSecondUntilRegisteredThereWithoutCa()
            throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));

        assertRefused(device, device.thingName(), secondBroker, DOMAIN.iotEndpoint());

        device.registerIn(clients.iot(second));
        registryClock.advance(REGISTRY_BOUND.plusMillis(1)); // the refusal may be remembered that long, never longer
        Mqtt5BlockingClient client =
                device.mqtt5(device.thingName(), secondBroker.address(), DOMAIN.iotEndpoint(), pki);
        client.connect();
        client.disconnect();
    }

    @Test
    void aRevokedCertificateIsRefusedAtTheNextConnectOnceTheRegistryBoundHasPassed() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));
        Mqtt5BlockingClient client = device.mqtt5(device.thingName(), firstBroker.address(), DOMAIN.iotEndpoint(), pki);
        client.connect();
        client.disconnect();

        String id = certificateId(device);
        clients.iot(first).updateCertificate(r -> r.certificateId(id).newStatus("REVOKED"));
        registryClock.advance(REGISTRY_BOUND.plusMillis(1));

        assertRefused(device, device.thingName(), firstBroker, DOMAIN.iotEndpoint());
    }

    @Test
    void aClientIdThatIsNotTheAttachedThingIsRefused() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));

        assertRefused(device, "someone-else", firstBroker, DOMAIN.iotEndpoint());
    }

    @Test
    void aConnectionWithoutSniIsRefused() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));

        assertRefused(device, device.thingName(), firstBroker, null);
    }

    @Test
    void anSniNamingAnotherEndpointIsRefused() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));

        assertRefused(device, device.thingName(), firstBroker, "iot.another-domain.example.test");
    }

    @Test
    void aSelfSignedCertificateRegisteredNowhereIsRefused() throws Exception {
        TestDevice device = TestDevice.selfSigned();

        assertRefused(device, device.thingName(), firstBroker, DOMAIN.iotEndpoint());
    }

    @Test
    void aPublishOutsideTheDevicePolicyIsRefusedAndNotRouted() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));
        Mqtt5BlockingClient client = device.mqtt5(device.thingName(), firstBroker.address(), DOMAIN.iotEndpoint(), pki);
        client.connect();

        assertThatThrownBy(() -> client.publishWith()
                        .topic("dt/fleet/another-thing/telemetry")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload("{}".getBytes(StandardCharsets.UTF_8))
                        .send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, refused -> assertThat(
                                refused.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        assertThat(routed).noneMatch(line -> line.startsWith("dt/fleet/another-thing/"));
        disconnectUnlessTheBrokerDid(client);
    }

    /**
     * HiveMQ may close an MQTT 5 connection after a refused publish, at any moment after the PUBACK; checking the
     * state first and then disconnecting races with that, so the client's own "not connected" answer is accepted.
     */
    private static void disconnectUnlessTheBrokerDid(Mqtt5BlockingClient client) {
        try {
            client.disconnect();
        } catch (MqttClientStateException alreadyClosed) {
            // the broker closed it first: nothing left to release
        }
    }

    @Test
    void connectAndDisconnectPublishPresenceEventsWithIotCoresFields() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));
        Mqtt5BlockingClient client = device.mqtt5(device.thingName(), firstBroker.address(), DOMAIN.iotEndpoint(), pki);
        client.connect();
        client.disconnect();

        JsonNode connected = awaitRouted("$aws/events/presence/connected/" + device.thingName());
        JsonNode disconnected = awaitRouted("$aws/events/presence/disconnected/" + device.thingName());
        assertThat(connected.path("clientId").asString()).isEqualTo(device.thingName());
        assertThat(connected.path("eventType").asString()).isEqualTo("connected");
        assertThat(connected.path("principalIdentifier").asString()).isEqualTo(certificateId(device));
        assertThat(connected.path("sessionIdentifier").asString()).isNotBlank();
        assertThat(connected.path("timestamp").asLong()).isPositive();
        assertThat(disconnected.path("disconnectReason").asString()).isEqualTo("CLIENT_INITIATED_DISCONNECT");
        assertThat(disconnected.path("clientInitiatedDisconnect").asBoolean()).isTrue();
        assertThat(disconnected.path("sessionIdentifier").asString())
                .isEqualTo(connected.path("sessionIdentifier").asString());
        assertThat(disconnected.path("versionNumber").asLong())
                .isGreaterThan(connected.path("versionNumber").asLong());
    }

    @Test
    void aConnectWhoseRegistryReadOutlastsTheAuthenticationTimeoutIsRefusedAndLeavesNoGrantBehind() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(first));
        CountDownLatch readsMayRun = new CountDownLatch(1);
        List<String> slowRouted = new CopyOnWriteArrayList<>();
        ExecutorService held = Executors.newSingleThreadExecutor();
        Executor gated = task -> held.execute(() -> {
            try {
                readsMayRun.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            task.run();
        });
        IotCoreRules rules = new IotCoreRules(
                first.code(),
                List.of(DOMAIN.iotEndpoint()),
                new RegistryView(clients.iot(first), REGISTRY_BOUND, 10, gated, Clock.systemUTC()),
                (topic, payload, clientId, principal, at) -> slowRouted.add(topic),
                Clock.systemUTC(),
                Duration.ofSeconds(1));
        RegionalBroker slow = RegionalBroker.start(
                new InetSocketAddress(InetAddress.getByName("127.0.1.1"), freePort("127.0.1.1")),
                pki.serverKeystore(),
                "broker-test-password".toCharArray(),
                rules,
                work.resolve("broker-slow"));
        try {
            Mqtt5BlockingClient client = device.mqtt5(device.thingName(), slow.address(), DOMAIN.iotEndpoint(), pki);
            assertThatThrownBy(client::connect)
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                                    refused.getMqttMessage().getReasonCode())
                            .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));

            readsMayRun.countDown(); // the read completes after the connection is gone
            held.shutdown();
            assertThat(held.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            assertThat(rules.connections()).isZero();
            assertThat(rules.tracked()).isZero();
            Thread.sleep(500); // a lifecycle event would be routed at once; none may be: the device never connected
            assertThat(slowRouted).isEmpty();
        } finally {
            readsMayRun.countDown();
            held.shutdownNow();
            slow.close();
        }
    }

    @Test
    void aSecondBrokerOnOneWorkRootIsRefusedAndAStaleWorkingDirectoryIsRemovedAtStart() throws Exception {
        Path root = work.resolve("broker-locked");
        Path stale = java.nio.file.Files.createDirectories(root.resolve("broker-left-by-a-killed-process"));
        java.nio.file.Files.writeString(stale.resolve("config.xml"), "<password>secret</password>");
        IotCoreRules rules = new IotCoreRules(
                first.code(),
                List.of(DOMAIN.iotEndpoint()),
                new RegistryView(clients.iot(first), REGISTRY_BOUND, 10, lookups, Clock.systemUTC()),
                (topic, payload, clientId, principal, at) -> {},
                Clock.systemUTC());
        RegionalBroker broker = RegionalBroker.start(
                new InetSocketAddress(InetAddress.getByName("127.0.1.1"), freePort("127.0.1.1")),
                pki.serverKeystore(),
                "broker-test-password".toCharArray(),
                rules,
                root);
        try {
            assertThat(stale).doesNotExist();
            assertThatThrownBy(() -> RegionalBroker.start(
                            new InetSocketAddress(InetAddress.getByName("127.0.1.1"), freePort("127.0.1.1")),
                            pki.serverKeystore(),
                            "broker-test-password".toCharArray(),
                            rules,
                            root))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another broker");
        } finally {
            broker.close();
        }
        try (var left = java.nio.file.Files.list(root)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly(".broker.lock");
        }
    }

    private static JsonNode awaitRouted(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : routed) {
                if (line.startsWith(topic + " ")) {
                    return JsonMapper.builder().build().readTree(line.substring(topic.length() + 1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing routed on " + topic + "; routed: " + routed);
    }

    private static void assertRefused(TestDevice device, String clientId, RegionalBroker broker, String sni)
            throws Exception {
        Mqtt5BlockingClient client = device.mqtt5(clientId, broker.address(), sni, pki);
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                        refused.getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    private static String certificateId(TestDevice device) throws Exception {
        return device.certificateId();
    }

    private static int freePort(String address) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }
}
