package dev.iotdr.telemetry.ingest.domain;

import java.time.Duration;

/**
 * What a valid telemetry message may hold: at most {@code maxMessageBytes} of JSON, {@code maxMetrics} metrics with
 * names of at most {@code maxMetricNameLength} characters and string values of at most {@code maxStringLength}, a
 * device timestamp no more than {@code maxFutureSkew} ahead of the cloud's clock and no older than {@code maxAge}
 * (a device's buffer may hold days; older than the hot store keeps is refused rather than expired on arrival).
 */
public record TelemetryLimits(
        int maxMessageBytes,
        int maxMetrics,
        int maxMetricNameLength,
        int maxStringLength,
        Duration maxFutureSkew,
        Duration maxAge) {
    public TelemetryLimits {
        if (maxMessageBytes < 64 || maxMetrics < 1 || maxMetricNameLength < 1 || maxStringLength < 1) {
            throw new IllegalArgumentException("telemetry limits must be positive (message at least 64 bytes)");
        }
        if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxFutureSkew must be 0 or more and maxAge positive");
        }
    }
}
