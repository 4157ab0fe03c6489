package dev.iotdr.shared.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One telemetry message as stored: what the device sent ({@code messageId}, {@code seq}, {@code ts}, {@code
 * metrics}) and what the cloud added ({@code clientId}, {@code receivedAt} by the topic rule or the batch API, the
 * region that ingested it). Stored once per {@code (thingName, messageId)}.
 *
 * <p>Metrics are named numbers or strings (the telemetry contract); a number is kept as the device's decimal text
 * would be read, never as a non-finite value.
 */
public record TelemetryRecord(
        ThingName thingName,
        MessageId messageId,
        long seq,
        long ts,
        Map<String, Object> metrics,
        String clientId,
        long receivedAt,
        Region ingestedIn) {
    public TelemetryRecord {
        Checks.required("thingName", thingName);
        Checks.required("messageId", messageId);
        Checks.required("metrics", metrics);
        Checks.required("ingestedIn", ingestedIn);
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be 0 or more, was " + seq);
        }
        if (ts < 0) {
            throw new IllegalArgumentException("ts must be epoch milliseconds, was " + ts);
        }
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            Object value = metric.getValue();
            boolean number = value instanceof Number n && Double.isFinite(n.doubleValue());
            if (!(number || value instanceof String)) {
                throw new IllegalArgumentException(
                        "metrics." + metric.getKey() + " must be a finite number or a string");
            }
        }
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        clientId = clientId == null ? thingName.value() : clientId;
    }
}
