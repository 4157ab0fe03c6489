package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One probe against real loopback servers, judged as Route 53's checkers judge. */
class EndpointProbeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final char[] KEY_PASSWORD = "probe-test".toCharArray();

    private final AtomicReference<String> hostHeader = new AtomicReference<>();
    private final AtomicReference<List<SNIServerName>> sniSeen = new AtomicReference<>();
    private HttpServer server;

    private final EndpointProbe probe =
            new EndpointProbe(fqdn -> fqdn.equals("api.probe.example.test") ? Optional.of(LOOPBACK) : Optional.empty());

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void http2xxAnd3xxPassAnd4xxAnd5xxFail() throws IOException {
        startHttp();

        assertThat(probe.probe(http(HealthCheckSpec.ProbeType.HTTP, "/status/200")))
                .isTrue();
        assertThat(probe.probe(http(HealthCheckSpec.ProbeType.HTTP, "/status/302")))
                .isTrue();
        assertThat(probe.probe(http(HealthCheckSpec.ProbeType.HTTP, "/status/404")))
                .isFalse();
        assertThat(probe.probe(http(HealthCheckSpec.ProbeType.HTTP, "/status/500")))
                .isFalse();
    }

    @Test
    void aStatusLaterThanTwoSecondsAfterConnectingFails() throws IOException {
        startHttp();

        assertThat(probe.probe(http(HealthCheckSpec.ProbeType.HTTP, "/slow"))).isFalse();
    }

    @Test
    void aDomainNameIsResolvedThroughThisDnsAndSentAsHost() throws IOException {
        startHttp();
        HealthCheckSpec byName = spec(
                HealthCheckSpec.ProbeType.HTTP,
                Optional.empty(),
                Optional.of("api.probe.example.test"),
                "/status/200",
                Optional.empty(),
                false);
        HealthCheckSpec unresolvable = spec(
                HealthCheckSpec.ProbeType.HTTP,
                Optional.empty(),
                Optional.of("elsewhere.example.test"),
                "/status/200",
                Optional.empty(),
                false);

        assertThat(probe.probe(byName)).isTrue();
        assertThat(hostHeader.get())
                .isEqualTo("api.probe.example.test:" + server.getAddress().getPort());
        assertThat(probe.probe(unresolvable)).isFalse();
    }

    @Test
    void stringMatchingNeedsTheStringInTheBody() throws IOException {
        startHttp();

        assertThat(probe.probe(spec(
                        HealthCheckSpec.ProbeType.HTTP_STR_MATCH,
                        Optional.of("127.0.0.1"),
                        Optional.empty(),
                        "/body",
                        Optional.of("\"UP\""),
                        false)))
                .isTrue();
        assertThat(probe.probe(spec(
                        HealthCheckSpec.ProbeType.HTTP_STR_MATCH,
                        Optional.of("127.0.0.1"),
                        Optional.empty(),
                        "/body",
                        Optional.of("\"DOWN\""),
                        false)))
                .isFalse();
    }

    @Test
    void httpsPassesWithACertificateNoTrustStoreKnowsAndSendsSniOnlyWhenEnabled() throws Exception {
        startHttps();
        HealthCheckSpec withoutSni = spec(
                HealthCheckSpec.ProbeType.HTTPS,
                Optional.empty(),
                Optional.of("api.probe.example.test"),
                "/status/200",
                Optional.empty(),
                false);
        HealthCheckSpec withSni = spec(
                HealthCheckSpec.ProbeType.HTTPS,
                Optional.empty(),
                Optional.of("api.probe.example.test"),
                "/status/200",
                Optional.empty(),
                true);

        assertThat(probe.probe(withoutSni)).isTrue();
        assertThat(sniSeen.get()).isEmpty();
        assertThat(probe.probe(withSni)).isTrue();
        assertThat(sniSeen.get()).singleElement().satisfies(name -> assertThat(
                        new String(name.getEncoded(), StandardCharsets.US_ASCII))
                .isEqualTo("api.probe.example.test"));
    }

    @Test
    void tcpPassesOnAListeningPortAndFailsOnAClosedOne() throws IOException {
        int closed;
        try (ServerSocket listening = new ServerSocket(0, 1, LOOPBACK)) {
            assertThat(probe.probe(tcp(listening.getLocalPort()))).isTrue();
            closed = listening.getLocalPort();
        }
        assertThat(probe.probe(tcp(closed))).isFalse();
    }

    private void startHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 8);
        routes(server);
        server.start();
    }

    private void startHttps() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(selfSigned(), KEY_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 8);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
        routes(server);
        server.start();
    }

    /** A certificate no trust store knows: the probe must not care, as Route 53's does not. */
    private static KeyStore selfSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=api.probe.example.test");
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                        subject,
                        BigInteger.ONE,
                        Date.from(now.minusSeconds(60)),
                        Date.from(now.plusSeconds(3600)),
                        subject,
                        pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pair.getPrivate(), KEY_PASSWORD, new Certificate[] {certificate});
        return store;
    }

    private void routes(HttpServer http) {
        http.createContext("/status/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            respond(exchange, Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)), "");
        });
        http.createContext("/slow", exchange -> {
            try {
                Thread.sleep(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "");
        });
        http.createContext("/body", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
    }

    private void respond(HttpExchange exchange, int status, String body) throws IOException {
        hostHeader.set(exchange.getRequestHeaders().getFirst("Host"));
        if (exchange instanceof HttpsExchange secure && secure.getSSLSession() instanceof ExtendedSSLSession session) {
            sniSeen.set(session.getRequestedServerNames());
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private HealthCheckSpec http(HealthCheckSpec.ProbeType type, String path) {
        return spec(type, Optional.of("127.0.0.1"), Optional.empty(), path, Optional.empty(), false);
    }

    private HealthCheckSpec spec(
            HealthCheckSpec.ProbeType type,
            Optional<String> ip,
            Optional<String> fqdn,
            String path,
            Optional<String> search,
            boolean sni) {
        return new HealthCheckSpec(
                "check",
                type,
                ip,
                fqdn,
                server.getAddress().getPort(),
                path,
                search,
                Duration.ofSeconds(10),
                3,
                false,
                false,
                sni);
    }

    private static HealthCheckSpec tcp(int port) {
        return new HealthCheckSpec(
                "tcp",
                HealthCheckSpec.ProbeType.TCP,
                Optional.of("127.0.0.1"),
                Optional.empty(),
                port,
                null,
                Optional.empty(),
                Duration.ofSeconds(10),
                3,
                false,
                false,
                false);
    }
}
