package dev.iotdr.deploy.localcloud;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code moto_server} process on a loopback port. The first start picks a free port; a restart reuses
 * it, so that clients built for the old endpoint reach the new process. Stopped by its own PID.
 */
public final class MotoEmulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MotoEmulator.class);
    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final MotoRuntime runtime;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private int port;
    private Process process;

    private final java.util.Map<String, String> environment;

    public MotoEmulator(String name, MotoRuntime runtime, Path logFile) {
        this(name, runtime, logFile, java.util.Map.of());
    }

    /** An emulator with these variables added to its environment (a benchmark's baseline, for one). */
    public MotoEmulator(String name, MotoRuntime runtime, Path logFile, java.util.Map<String, String> environment) {
        this.name = name;
        this.runtime = runtime;
        this.logFile = logFile;
        this.environment = java.util.Map.copyOf(environment);
    }

    /** Starts the process and returns once it answers HTTP; fails with its log tail if it does not. */
    public synchronized void start(Duration readinessTimeout) {
        if (isRunning()) {
            return;
        }
        boolean freshPort = port == 0;
        LocalCloudException last = null;
        for (int attempt = 1; attempt <= (freshPort ? START_ATTEMPTS : 1); attempt++) {
            if (freshPort) {
                port = freePort();
            }
            try {
                launch(readinessTimeout);
                return;
            } catch (LocalCloudException e) {
                last = e;
                stop();
                log.warn(
                        "emulator {} failed to start on port {} (attempt {}): {}", name, port, attempt, e.getMessage());
            }
        }
        throw last;
    }

    private void launch(Duration readinessTimeout) {
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(runtime.serverCommand(HOST, port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment()
                    .put(
                            MotoRuntime.PARENT_PID_VARIABLE,
                            Long.toString(ProcessHandle.current().pid()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new LocalCloudException("could not start emulator " + name + ": " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(readinessTimeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new LocalCloudException("emulator " + name + " exited with " + process.exitValue()
                        + " before it was ready; its log " + logFile + " ends with: " + logTail());
            }
            if (answers()) {
                log.info("emulator {} ready at {} (pid {})", name, endpoint(), process.pid());
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        throw new LocalCloudException("emulator " + name + " did not answer at " + endpoint() + " within "
                + readinessTimeout + "; its log " + logFile + " ends with: " + logTail());
    }

    /** Whether the emulator answers HTTP right now. */
    public boolean answers() {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(endpoint().resolve("/moto-api/"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process by its PID (its children first), gracefully, then forcibly. Idempotent. */
    public synchronized void stop() {
        Process running = process;
        process = null;
        if (running == null) {
            return;
        }
        ProcessHandle handle = running.toHandle();
        handle.descendants().forEach(ProcessHandle::destroy);
        running.destroy();
        try {
            if (!running.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("emulator {} (pid {}) stopped", name, handle.pid());
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized OptionalLong pid() {
        return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    public synchronized URI endpoint() {
        if (port == 0) {
            throw new IllegalStateException("emulator " + name + " has not been started");
        }
        return URI.create("http://" + HOST + ":" + port);
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        stop();
    }

    private String logTail() {
        try {
            return MotoRuntime.tail(Files.readString(logFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalCloudException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalCloudException("interrupted while waiting for an emulator", e);
        }
    }
}
