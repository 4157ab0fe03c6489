package dev.iotdr.replication.registry.domain;

import java.util.List;

/**
 * Whether a device could connect to this region now: its thing exists, its certificate is registered here
 * with the record's PEM and ACTIVE, the device policy and the thing principal are attached.
 */
public record Readiness(String deviceId, String region, boolean ready, long version, List<String> problems) {
    public Readiness {
        problems = List.copyOf(problems);
    }
}
