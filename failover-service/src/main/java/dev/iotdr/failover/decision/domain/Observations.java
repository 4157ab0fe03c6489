package dev.iotdr.failover.decision.domain;

import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a decision is made on: the active region (from DNS), every region's health, each region's
 * replication lag (empty when it could not be read), the last failover's time, whether failovers are frozen.
 */
public record Observations(
        Region active,
        Map<Region, RegionHealth> health,
        Map<Region, Optional<Duration>> replicationLag,
        Optional<Instant> lastFailoverAt,
        Optional<String> freeze,
        Instant now) {

    public Observations {
        health = Map.copyOf(health);
        replicationLag = Map.copyOf(replicationLag);
    }

    public RegionHealth healthOf(Region region) {
        RegionHealth known = health.get(region);
        if (known == null) {
            throw new IllegalArgumentException("no health observed for " + region);
        }
        return known;
    }
}
