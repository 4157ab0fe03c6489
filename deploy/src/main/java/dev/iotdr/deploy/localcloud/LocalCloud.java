package dev.iotdr.deploy.localcloud;

import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local two-region cloud: an emulator per region and one for global services. Any single region can be
 * stopped (a real outage: its process is gone and its port refuses connections) and started again.
 */
public final class LocalCloud implements AutoCloseable {
    /** The name of the emulator that serves global services (Route 53). */
    public static final String GLOBAL = "global";

    private static final Logger log = LoggerFactory.getLogger(LocalCloud.class);

    private final LocalCloudConfig config;
    private final Map<Region, MotoEmulator> regional;
    private final MotoEmulator global;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalCloud(LocalCloudConfig config, MotoRuntime runtime) {
        this.config = config;
        this.regional = new LinkedHashMap<>();
        for (Region region : config.topology().regions()) {
            regional.put(region, new MotoEmulator(region.code(), runtime, logFile(region.code())));
        }
        this.global = new MotoEmulator(GLOBAL, runtime, logFile(GLOBAL));
        this.shutdownHook = new Thread(this::stopAll, "local-cloud-shutdown");
    }

    /** Starts every emulator (in parallel) and returns once all answer; on failure stops what started. */
    public static LocalCloud start(LocalCloudConfig config) {
        LocalCloud cloud = new LocalCloud(config, MotoRuntime.ensure());
        Runtime.getRuntime().addShutdownHook(cloud.shutdownHook);
        try {
            cloud.startAll();
            return cloud;
        } catch (RuntimeException e) {
            cloud.close();
            throw e;
        }
    }

    private void startAll() {
        List<MotoEmulator> all = new ArrayList<>(regional.values());
        all.add(global);
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> started = all.stream()
                    .map(emulator -> starter.submit(() -> {
                        emulator.start(config.readinessTimeout());
                        return (Void) null;
                    }))
                    .toList();
            for (Future<Void> future : started) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new LocalCloudException("local cloud failed to start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalCloudException("interrupted while starting the local cloud", e);
        }
        log.info("local cloud ready: {} and global at {}", endpoints(), global.endpoint());
    }

    public RegionTopology topology() {
        return config.topology();
    }

    public List<Region> regions() {
        return config.topology().regions();
    }

    /** The emulator endpoint of one region. */
    public URI endpoint(Region region) {
        return emulator(region).endpoint();
    }

    /** The endpoint of global services (Route 53). */
    public URI globalEndpoint() {
        return global.endpoint();
    }

    public Map<Region, URI> endpoints() {
        Map<Region, URI> endpoints = new LinkedHashMap<>();
        regional.forEach((region, emulator) -> endpoints.put(region, emulator.endpoint()));
        return endpoints;
    }

    /** Settings for {@link dev.iotdr.shared.aws.RegionalAwsClients} that reach this cloud. */
    public AwsClientSettings awsSettings() {
        return AwsClientSettings.emulated(endpoints(), globalEndpoint());
    }

    /** A real regional outage: the region's emulator process is stopped by its PID. */
    public void stopRegion(Region region) {
        emulator(region).stop();
    }

    /** Brings a stopped region back on the same endpoint, empty (the emulator keeps no state on disk). */
    public void startRegion(Region region) {
        checkOpen();
        emulator(region).start(config.readinessTimeout());
    }

    public boolean isRunning(Region region) {
        return emulator(region).isRunning();
    }

    /** The PIDs of the running emulators, by region code (and {@value #GLOBAL}). */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        regional.forEach((region, emulator) -> emulator.pid().ifPresent(pid -> pids.put(region.code(), pid)));
        global.pid().ifPresent(pid -> pids.put(GLOBAL, pid));
        return pids;
    }

    public java.nio.file.Path logDirectory() {
        return config.logDirectory();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran; nothing left to remove
        }
    }

    private synchronized void stopAll() {
        closed = true;
        regional.values().forEach(MotoEmulator::stop);
        global.stop();
    }

    private MotoEmulator emulator(Region region) {
        MotoEmulator emulator = regional.get(region);
        if (emulator == null) {
            throw new IllegalArgumentException(region + " is not a region of this local cloud " + regions());
        }
        return emulator;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("local cloud is closed");
        }
    }

    private java.nio.file.Path logFile(String name) {
        return config.logDirectory().resolve("moto-" + name + ".log");
    }
}
