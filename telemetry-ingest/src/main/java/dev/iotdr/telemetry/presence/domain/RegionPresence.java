package dev.iotdr.telemetry.presence.domain;

import dev.iotdr.shared.domain.Region;
import java.util.Optional;

/**
 * How many devices a region's endpoint has connected, as its lifecycle events tell it, and when the last event
 * arrived (a region that went dark sends no disconnects: its count is as of then, and says so).
 */
public record RegionPresence(Region region, long connected, Optional<Long> lastEventAt) {}
