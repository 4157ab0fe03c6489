package dev.iotdr.dataplane.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.sun.net.httpserver.HttpServer;
import dev.iotdr.dataplane.DataPlaneMain;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.dataplane.rules.FleetRules;
import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A region's whole data plane as the local stack runs it ({@link DataPlaneMain#start}): the stored topic rules
 * carry a device's telemetry and its presence events to the region's queues, and the api load balancer answers
 * {@code api.<domain>} by name with the local CA's certificate.
 */
@ExtendWith(LocalCloudExtension.class)
class DataPlaneIntegrationTest {
    private static final FleetDomain DOMAIN = FleetDomain.of("dataplane-test.example.test");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;

    private static LocalPki pki;
    private static RegionalAwsClients clients;
    private static Region region;
    private static DataPlaneMain.Running dataPlane;
    private static HttpServer onboarding;
    private static InetSocketAddress mqtt;
    private static InetSocketAddress api;

    @BeforeAll
    static void start(LocalCloud cloud, RegionalAwsClients awsClients) throws Exception {
        clients = awsClients;
        region = cloud.regions().get(0);
        pki = new LocalPki(work.resolve("pki"), "dataplane-test-password".toCharArray());
        onboarding = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        onboarding.createContext("/v1/devices", exchange -> {
            byte[] body = ("{\"path\":\"" + exchange.getRequestURI() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        onboarding.createContext("/private", exchange -> {
            byte[] body = "not for the load balancer".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        onboarding.start();
        InetAddress address = InetAddress.getByName("127.0.1.1");
        mqtt = new InetSocketAddress(address, freePort(address));
        api = new InetSocketAddress(address, freePort(address));
        dataPlane = DataPlaneMain.start(
                region,
                DOMAIN,
                mqtt,
                api,
                Map.of(
                        "/v1/devices",
                        URI.create("http://127.0.0.1:" + onboarding.getAddress().getPort())),
                pki,
                clients,
                (each, regional) -> DataPlaneMain.topicRules(each, regional),
                work.resolve("dataplane"),
                0);
    }

    @AfterAll
    static void stop() {
        if (dataPlane != null) {
            dataPlane.close();
        }
        if (onboarding != null) {
            onboarding.stop(0);
        }
    }

    @Test
    void telemetryReachesTheRegionsQueueThroughTheStoredRuleWithTheRulesFields() throws Exception {
        TestDevice device = TestDevice.enrol(clients.iot(region));
        Mqtt5BlockingClient client = device.mqtt5(device.thingName(), mqtt, DOMAIN.iotEndpoint(), pki);
        client.connect();
        client.publishWith()
                .topic("dt/fleet/" + device.thingName() + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"messageId\":\"m-1\",\"seq\":7,\"ts\":1,\"metrics\":{\"t\":21.5}}")
                        .getBytes(StandardCharsets.UTF_8))
                .send();
        client.disconnect();

        JsonNode telemetry = awaitMessage(FleetRules.TELEMETRY_QUEUE, "thingName", device.thingName());
        assertThat(telemetry.path("messageId").asString()).isEqualTo("m-1");
        assertThat(telemetry.path("seq").asInt()).isEqualTo(7);
        assertThat(telemetry.path("metrics").path("t").asDouble()).isEqualTo(21.5);
        assertThat(telemetry.path("clientId").asString()).isEqualTo(device.thingName());
        assertThat(telemetry.path("receivedAt").asLong()).isPositive();

        // both lifecycle events of the connection, read in one pass (a message read and not matched stays
        // invisible for the queue's visibility timeout, so the two cannot be awaited one after the other)
        String url = clients.sqs(region)
                .getQueueUrl(r -> r.queueName(FleetRules.PRESENCE_QUEUE))
                .queueUrl();
        java.util.Set<String> eventTypes = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (eventTypes.size() < 2 && System.nanoTime() < deadline) {
            for (Message message : clients.sqs(region)
                    .receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                JsonNode event = JSON.readTree(message.body());
                if (device.thingName().equals(event.path("clientId").asString())) {
                    eventTypes.add(event.path("eventType").asString());
                }
            }
        }
        assertThat(eventTypes).containsExactlyInAnyOrder("connected", "disconnected");
    }

    @Test
    void theApiLoadBalancerRoutesDevicesByPathWithTheLocalCasCertificateForTheApiNameAndRefusesOtherPaths()
            throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("root", LocalPki.parseCertificate(pki.rootCaPem()));
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trusted);
        // The chain must lead to the local root CA and the certificate must name api.<domain> (Jetty hands the
        // verifier the resolved address, so the name is checked here rather than by endpoint identification).
        tls.setEndpointIdentificationAlgorithm(null);
        tls.setHostnameVerifier((host, session) -> {
            try {
                return ((java.security.cert.X509Certificate) session.getPeerCertificates()[0])
                        .getSubjectAlternativeNames().stream()
                                .anyMatch(name -> DOMAIN.apiEndpoint().equals(name.get(1)));
            } catch (Exception e) {
                return false;
            }
        });
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient(
                new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        // As a device does with the address the local DNS gave: the name goes in SNI and Host, the address is
        // the region's.
        http.setSocketAddressResolver((host, port, context, promise) ->
                promise.succeeded(List.of(new InetSocketAddress(api.getAddress(), port))));
        http.start();
        try {
            ContentResponse answer =
                    http.GET("https://" + DOMAIN.apiEndpoint() + ":" + api.getPort() + "/v1/devices/d-1");
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getContentAsString()).contains("/v1/devices/d-1");

            ContentResponse notFound = http.GET("https://" + DOMAIN.apiEndpoint() + ":" + api.getPort() + "/v1/other");
            assertThat(notFound.getStatus()).isEqualTo(404);
            assertThat(notFound.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");

            // dot segments are resolved before the route is chosen: no way past the prefix to another path
            ContentResponse escaped = http.newRequest(
                            "https://" + DOMAIN.apiEndpoint() + ":" + api.getPort() + "/v1/devices/../private")
                    .send();
            assertThat(escaped.getContentAsString()).doesNotContain("not for the load balancer");
            assertThat(escaped.getStatus()).isEqualTo(404);
        } finally {
            http.stop();
        }
    }

    private static JsonNode awaitMessage(String queue, String field, String value) throws InterruptedException {
        String url = clients.sqs(region).getQueueUrl(r -> r.queueName(queue)).queueUrl();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : clients.sqs(region)
                    .receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                seen.add(message.body());
                JsonNode body = JSON.readTree(message.body());
                if (value.equals(body.path(field).asString())) {
                    return body;
                }
            }
        }
        throw new AssertionError("no message with " + field + "=" + value + " on " + queue + "; saw " + seen);
    }

    private static int freePort(InetAddress address) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }
}
