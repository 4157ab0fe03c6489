package dev.iotdr.deploy.localstack;

import dev.iotdr.deploy.localcloud.LocalCloudException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service module (a Spring Boot jar) running for one region on a loopback port, started with the
 * region's settings as arguments and its secrets in the environment (never on the command line, which
 * {@code ps} shows). Ready when its readiness probe answers 200; stopped by its PID.
 */
final class ServiceProcess {
    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    /** How long a Spring service gets to stop after SIGTERM before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** The services' JVM: small and quick to start (C1 only); fine for request handling at the local stack's rates. */
    static final List<String> SMALL_JVM =
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    private final String name;
    private final String region;
    private final List<String> launch;
    private final boolean springBoot;
    private final Path logFile;
    private final List<String> ownArguments;
    private final Duration stopGrace;
    private final List<String> jvmOptions;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private int port;
    private Process process;

    ServiceProcess(String name, String region, Path jar, List<String> ownArguments, Path logFile) {
        this(name, region, List.of("-jar", jar.toString()), true, ownArguments, logFile, STOP_GRACE, SMALL_JVM);
    }

    /**
     * A plain main class (the local data plane, the local DNS) on a class path: told {@code --admin-port} and
     * {@code --parent-pid} instead of Spring's settings, and ready when its admin port's readiness answers 200.
     * {@code stopGrace} is how long it gets to stop after SIGTERM before it is killed: at least as long as its own
     * shutdown may take, or what it has accepted but not yet handed on is lost. {@code jvmOptions} size its JVM.
     */
    static ServiceProcess mainClass(
            String name,
            String region,
            String classpath,
            String mainClass,
            List<String> ownArguments,
            Path logFile,
            Duration stopGrace,
            List<String> jvmOptions) {
        return new ServiceProcess(
                name,
                region,
                List.of("-cp", classpath, mainClass),
                false,
                ownArguments,
                logFile,
                stopGrace,
                jvmOptions);
    }

    private ServiceProcess(
            String name,
            String region,
            List<String> launch,
            boolean springBoot,
            List<String> ownArguments,
            Path logFile,
            Duration stopGrace,
            List<String> jvmOptions) {
        this.ownArguments = List.copyOf(ownArguments);
        this.stopGrace = stopGrace;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.name = name;
        this.region = region;
        this.launch = List.copyOf(launch);
        this.springBoot = springBoot;
        this.logFile = logFile;
        this.port = freePort(); // known before start, so that other services can be told this one's URL
    }

    synchronized void start(List<String> arguments, Map<String, String> secrets) {
        if (process != null && process.isAlive()) {
            return;
        }
        if (port == 0) {
            port = freePort();
        }
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(launch);
        command.addAll(
                springBoot
                        ? List.of(
                                "--server.port=" + port,
                                "--server.address=127.0.0.1",
                                "--iotdr.parent-pid=" + ProcessHandle.current().pid())
                        : List.of(
                                "--admin-port=" + port,
                                "--parent-pid=" + ProcessHandle.current().pid()));
        command.addAll(arguments);
        command.addAll(ownArguments);
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(secrets);
            process = builder.start();
        } catch (IOException e) {
            throw new LocalCloudException("could not start " + name + " for " + region + ": " + e.getMessage(), e);
        }
        log.info("{} for {} starting on {} (pid {})", name, region, url(), process.pid());
    }

    /** Waits until the readiness probe answers 200; fails with the log's tail if the process dies first. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process running = process;
            if (running == null || !running.isAlive()) {
                throw new LocalCloudException(name + " for " + region + " exited before it was ready; see " + logFile);
            }
            if (ready()) {
                log.info("{} for {} ready at {}", name, region, url());
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalCloudException("interrupted while waiting for " + name, e);
            }
        }
        throw new LocalCloudException(name + " for " + region + " not ready within " + timeout + "; see " + logFile);
    }

    boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(url().resolve("/actuator/health/readiness"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized void stop() {
        Process running = process;
        process = null;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} for {} (pid {}) did not stop within {}: killed", name, region, running.pid(), stopGrace);
                running.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("{} for {} (pid {}) stopped", name, region, running.pid());
    }

    synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    String name() {
        return name;
    }

    String region() {
        return region;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalCloudException("no free loopback port", e);
        }
    }
}
