package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;

/** Probes one region: its onboarding service's readiness, an IoT call and a DynamoDB call there. */
public interface RegionProbe {
    ProbeResult probe(Region region);
}
