package dev.iotdr.telemetry.config;

import dev.iotdr.shared.contract.FleetQueues;
import dev.iotdr.telemetry.ingest.domain.TelemetryLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Telemetry ingest settings ({@code iotdr.telemetry.*}).
 *
 * @param table the hot store (replicated to every region)
 * @param retention how long the hot store keeps a record, counted from its device time (DynamoDB TTL)
 * @param queue the region's telemetry queue, fed by the topic rule on {@code dt/fleet/+/telemetry}
 * @param deadLetterQueue where a message that cannot be stored is parked with its reason
 * @param maxReceives receives of one queue message that failed for its own fault (not a dependency's outage)
 *     before it is parked with that failure (the queue's own redrive, at a higher count, stays as the backstop)
 * @param listen whether this instance consumes the queue (off for a read-only instance)
 * @param maxConcurrentMessages queue messages in flight in this instance at once
 * @param maxMessageBytes the largest telemetry message (JSON)
 * @param maxMetrics metrics per message
 * @param maxMetricNameLength characters of a metric's name
 * @param maxStringLength characters of a string metric
 * @param maxFutureSkew how far ahead of the cloud's clock a device's {@code ts} may be
 * @param maxAge how old a device's {@code ts} may be (a device buffers while disconnected; beyond the retention
 *     a record would expire on arrival)
 * @param maxBatchRecords records in one batch request
 * @param maxBatchBytes bytes of one batch request, after gunzip
 * @param presenceTable the fleet's presence (devices connected per region)
 * @param presenceQueue the region's lifecycle events, fed by the topic rule on {@code $aws/events/presence/+/+}
 * @param presenceDeadLetterQueue where an event that cannot be applied is parked with its reason
 * @param presenceWriters presence events applied at once by this instance (1 to 16); 1 on the emulator, whose
 *     transactions are not safe to run concurrently
 */
@Validated
@ConfigurationProperties("iotdr.telemetry")
public record TelemetryProperties(
        @NotBlank @DefaultValue(dev.iotdr.shared.contract.TelemetryTable.DEFAULT_NAME)
        String table,

        @NotNull @DefaultValue("30d") Duration retention,
        @NotBlank @DefaultValue(FleetQueues.TELEMETRY) String queue,

        @NotBlank @DefaultValue(FleetQueues.TELEMETRY_DEAD_LETTERS)
        String deadLetterQueue,

        @Min(1) @Max(100) @DefaultValue("4") int maxReceives,
        @DefaultValue("true") boolean listen,
        @Min(10) @Max(1000) @DefaultValue("40") int maxConcurrentMessages,
        @Min(256) @DefaultValue("8192") int maxMessageBytes,
        @Min(1) @DefaultValue("64") int maxMetrics,
        @Min(1) @DefaultValue("64") int maxMetricNameLength,
        @Min(1) @DefaultValue("256") int maxStringLength,
        @NotNull @DefaultValue("5m") Duration maxFutureSkew,
        @NotNull @DefaultValue("7d") Duration maxAge,
        @Min(1) @Max(1000) @DefaultValue("500") int maxBatchRecords,
        @Min(1024) @DefaultValue("1048576") int maxBatchBytes,
        @NotBlank @DefaultValue("presence") String presenceTable,
        @NotBlank @DefaultValue(FleetQueues.PRESENCE) String presenceQueue,

        @NotBlank @DefaultValue(FleetQueues.PRESENCE_DEAD_LETTERS)
        String presenceDeadLetterQueue,

        @Min(1) @Max(16) @DefaultValue("16") int presenceWriters) {

    public TelemetryLimits limits() {
        return new TelemetryLimits(
                maxMessageBytes, maxMetrics, maxMetricNameLength, maxStringLength, maxFutureSkew, maxAge);
    }
}
