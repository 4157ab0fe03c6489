package dev.iotdr.service.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Everything this service needs to exist in its region (tables, IoT policy, thing type), ensured at startup
 * before the service reports ready, and again whenever readiness finds one missing: a region restored from
 * scratch heals without a redeploy.
 */
public final class RegionResources implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(RegionResources.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

    /** One thing the region must hold; {@code ensure} is idempotent. */
    public interface Resource {
        String name();

        void ensure();
    }

    private final List<Resource> resources;
    private final Clock clock;
    private Instant lastAttempt = Instant.MIN;

    public RegionResources(List<Resource> resources, Clock clock) {
        this.resources = List.copyOf(resources);
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        ensureAll();
    }

    /** Ensures every resource now; throws if one cannot be ensured. */
    public synchronized void ensureAll() {
        lastAttempt = clock.instant();
        for (Resource resource : resources) {
            resource.ensure();
        }
        log.info(
                "region resources ensured: {}",
                resources.stream().map(Resource::name).toList());
    }

    /** Ensures again unless that was tried moments ago; returns whether it ran and succeeded. */
    public synchronized boolean heal() {
        if (clock.instant().isBefore(lastAttempt.plus(MIN_INTERVAL))) {
            return false;
        }
        try {
            ensureAll();
            return true;
        } catch (RuntimeException e) {
            log.warn("could not ensure region resources yet: {}", e.getMessage());
            return false;
        }
    }
}
