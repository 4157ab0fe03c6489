package dev.iotdr.deploy.fleet;

import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.edge.EndpointResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrols devices as a real fleet's installer app does: {@code POST /v1/devices} to {@code https://api.<domain>}, the
 * name resolved through DNS (the local stack's), the endpoint's certificate checked against the root CA and the
 * name. Each device's certificate, private key and root CA go to its own directory under the fleet directory, the
 * key owner-only; nothing is logged of them.
 */
public final class FleetEnrolment implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One enrolled device: its thing name, certificate id (the registry's) and where its files are. */
    public record Enrolled(String thingName, String certificateId, Path directory) {}

    private final String apiName;
    private final int apiPort;
    private final String token;
    private final Path fleetDirectory;
    private final HttpClient http;

    /**
     * @param rootCa the CA the api endpoint's certificate chains to
     * @param dns the DNS to ask for {@code api.<domain>}, or empty for the system's
     */
    public FleetEnrolment(
            String domain,
            int apiPort,
            Optional<InetSocketAddress> dns,
            X509Certificate rootCa,
            String token,
            Path fleetDirectory)
            throws Exception {
        this.apiName = "api." + domain;
        this.apiPort = apiPort;
        this.token = token;
        this.fleetDirectory = fleetDirectory;
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("root", rootCa);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trusted);
        // Jetty hands endpoint identification the resolved address; the name is checked here instead.
        tls.setEndpointIdentificationAlgorithm(null);
        tls.setHostnameVerifier((host, session) -> {
            try {
                return ((X509Certificate) session.getPeerCertificates()[0])
                        .getSubjectAlternativeNames().stream().anyMatch(name -> apiName.equals(name.get(1)));
            } catch (Exception e) {
                return false;
            }
        });
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        EndpointResolver resolver = new EndpointResolver(apiName, dns, Clock.systemUTC());
        http.setSocketAddressResolver((host, port, context, promise) -> {
            try {
                promise.succeeded(
                        List.of(new InetSocketAddress(resolver.resolve().address(), port)));
            } catch (java.net.UnknownHostException e) {
                promise.failed(e);
            }
        });
        http.start();
    }

    /** Enrols {@code count} devices named {@code <prefix>-<i>}, {@code concurrency} at a time. */
    public List<Enrolled> enrol(String prefix, int count, int concurrency) throws Exception {
        List<Enrolled> enrolled = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String deviceId = prefix + "-" + i;
                futures.add(pool.submit(() -> {
                    enrolled.add(enrolOne(deviceId));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return new ArrayList<>(enrolled);
    }

    private Enrolled enrolOne(String deviceId) throws Exception {
        String idempotencyKey = UUID.randomUUID().toString();
        ContentResponse answer = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            answer = http.POST("https://" + apiName + ":" + apiPort + "/v1/devices")
                    .headers(headers ->
                            headers.put("Authorization", "Bearer " + token).put("Idempotency-Key", idempotencyKey))
                    .body(new StringRequestContent(
                            "application/json",
                            "{\"deviceId\":\"" + deviceId + "\",\"thingGroup\":\"fleet\"}",
                            StandardCharsets.UTF_8))
                    .timeout(60, TimeUnit.SECONDS)
                    .send();
            // throttled or unavailable: the same idempotency key, so a retry never makes a second device
            if (answer.getStatus() != 429 && answer.getStatus() != 503) {
                break;
            }
            Thread.sleep(500L * attempt);
        }
        if (answer.getStatus() != 201 && answer.getStatus() != 200) {
            throw new IllegalStateException(
                    "enrolling " + deviceId + ": HTTP " + answer.getStatus() + " " + answer.getContentAsString());
        }
        JsonNode device = JSON.readTree(answer.getContentAsString());
        String thingName = device.path("thingName").asString();
        Path directory = fleetDirectory.resolve(thingName);
        write(directory, "certificate.pem", device.path("certificatePem").asString(), "rw-r--r--");
        write(directory, "private.key", device.path("privateKey").asString(), "rw-------");
        write(directory, "root-ca.pem", device.path("rootCaPem").asString(), "rw-r--r--");
        DeviceIdentity.read(thingName, directory); // readable as a device will read it
        return new Enrolled(thingName, device.path("certificateId").asString(), directory);
    }

    private static void write(Path directory, String name, String text, String permissions) {
        if (text == null || text.isBlank()) {
            throw new IllegalStateException("onboarding's answer has no " + name);
        }
        try {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = directory.resolve(name);
            Path temporary = directory.resolve(name + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            Files.writeString(temporary, text);
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + directory, e);
        }
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
