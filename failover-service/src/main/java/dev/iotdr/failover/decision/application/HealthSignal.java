package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.time.Instant;

/** A region's health check went to ALARM ({@code ok} false) or back to OK. */
public record HealthSignal(Region region, boolean ok, Instant at, String detail) {}
