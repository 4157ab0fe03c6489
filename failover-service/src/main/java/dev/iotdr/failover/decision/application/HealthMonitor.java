package dev.iotdr.failover.decision.application;

import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Probes every region (in parallel) and keeps each one's health with hysteresis; also takes signals. */
public final class HealthMonitor {
    private final RegionTopology topology;
    private final RegionProbe probe;
    private final Clock clock;
    private final Map<Region, RegionHealth> health = new ConcurrentHashMap<>();
    private final java.util.Set<Region> seenHealthy = ConcurrentHashMap.newKeySet();
    private final Map<Region, Boolean> lastProbeOk = new ConcurrentHashMap<>();
    private final Map<Region, java.time.Instant> lastSignalAt = new ConcurrentHashMap<>();

    public HealthMonitor(
            RegionTopology topology, RegionProbe probe, int failuresToTrip, int successesToRecover, Clock clock) {
        this.topology = topology;
        this.probe = probe;
        this.clock = clock;
        topology.regions()
                .forEach(region -> health.put(region, RegionHealth.unknown(failuresToTrip, successesToRecover)));
    }

    public void probeAll() {
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Region, Future<ProbeResult>> results = new LinkedHashMap<>();
            for (Region region : topology.regions()) {
                results.put(region, probes.submit(() -> probe.probe(region)));
            }
            results.forEach((region, result) -> {
                ProbeResult outcome;
                try {
                    outcome = result.get();
                } catch (Exception e) {
                    outcome = new ProbeResult(false, "probe failed: " + e.getMessage());
                }
                ProbeResult observed = outcome;
                java.time.Instant at = clock.instant();
                RegionHealth next = health.compute(region, (r, current) -> {
                    lastProbeOk.put(r, observed.ok());
                    return current.observe(observed.ok(), at, observed.detail());
                });
                if (next.healthy()) {
                    seenHealthy.add(region);
                }
            });
        }
    }

    /**
     * Takes Route 53 health signals, each at its own time (the alarm's state change, not its arrival, so
     * it is always somewhat older than the latest probe). A signal older than the region's previous signal
     * arrived out of order and is ignored; an OK signal never breaks a run of failed probes (only probes
     * bring a region back), while an ALARM counts as a failure whenever it comes.
     */
    public void accept(List<HealthSignal> signals) {
        for (HealthSignal signal : signals) {
            health.computeIfPresent(signal.region(), (r, current) -> {
                java.time.Instant previous = lastSignalAt.get(r);
                if (previous != null && signal.at().isBefore(previous)) {
                    return current;
                }
                lastSignalAt.put(r, signal.at());
                if (signal.ok() && Boolean.FALSE.equals(lastProbeOk.get(r))) {
                    return current;
                }
                // ordered by its own time, recorded at the time it is taken into account: an alarm's
                // state change happened tens of seconds before it arrives, and must not backdate when the
                // region was declared unhealthy
                return current.observe(signal.ok(), clock.instant(), signal.detail());
            });
        }
    }

    /** Whether this monitor has seen {@code region} healthy since it started. */
    public boolean seenHealthy(Region region) {
        return seenHealthy.contains(region);
    }

    public Map<Region, RegionHealth> snapshot() {
        return Map.copyOf(health);
    }
}
