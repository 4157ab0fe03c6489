package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;

/** Which region a Route 53 health check watches, by check id. */
public interface HealthCheckRegions extends java.util.function.Supplier<java.util.Map<String, Region>> {}
