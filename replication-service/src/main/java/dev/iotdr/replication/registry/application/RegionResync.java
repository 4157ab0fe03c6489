package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.application.UseCases.ResyncRegion;
import dev.iotdr.replication.registry.application.UseCases.ResyncReport;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a region that came back empty: in table-copy mode, copies every newer record from the other
 * regions' tables first; then applies every record of this region's table, forced, with enough concurrency
 * that the IoT quotas (paced in the call guard), not this loop, set the pace.
 */
public final class RegionResync implements ResyncRegion {
    private static final Logger log = LoggerFactory.getLogger(RegionResync.class);

    private final LocalDeviceTable table;
    private final RemoteDeviceTables remotes;
    private final List<Region> sources;
    private final ApplyRegistryRecord applier;
    private final int concurrency;

    public RegionResync(
            LocalDeviceTable table,
            RemoteDeviceTables remotes,
            List<Region> sources,
            ApplyRegistryRecord applier,
            int concurrency) {
        this.table = table;
        this.remotes = remotes;
        this.sources = List.copyOf(sources);
        this.applier = applier;
        this.concurrency = concurrency;
    }

    @Override
    public ResyncReport resync() {
        long start = System.nanoTime();
        AtomicInteger copied = new AtomicInteger();
        for (Region source : sources) {
            try {
                remotes.forEach(source, record -> {
                    if (table.copyIfNewer(record)) {
                        copied.incrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                log.warn("re-sync could not read {}'s table (is it down?): {}", source, e.getMessage());
            }
        }
        List<DeviceId> devices = new ArrayList<>();
        table.forEach(record -> devices.add(record.deviceId()));
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> work = new ArrayList<>();
            for (DeviceId device : devices) {
                work.add(pool.submit(() -> {
                    try {
                        applier.applyForced(device);
                        applied.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        log.warn("re-sync of {} failed: {}", device, e.getMessage());
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return new ResyncReport(copied.get(), applied.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start));
    }
}
