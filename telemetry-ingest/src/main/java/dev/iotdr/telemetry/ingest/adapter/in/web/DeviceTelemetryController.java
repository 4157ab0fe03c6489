package dev.iotdr.telemetry.ingest.adapter.in.web;

import dev.iotdr.shared.domain.ThingName;
import dev.iotdr.telemetry.ingest.application.TelemetryHistory;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/devices/{thingName}/telemetry?from=&to=&limit=&cursor=}: a device's records by device time ({@code
 * from} inclusive, {@code to} exclusive, ISO-8601 instants), oldest first, a page at a time. Answers in any region
 * for what any region ingested, once the hot store's copy has arrived (its lag is in the status).
 */
@RestController
class DeviceTelemetryController {
    static final int MAX_LIMIT = 1000;

    private final TelemetryHistory history;

    DeviceTelemetryController(TelemetryHistory history) {
        this.history = history;
    }

    @GetMapping("/v1/devices/{thingName}/telemetry")
    Map<String, Object> telemetry(
            @PathVariable String thingName,
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        ThingName thing;
        try {
            thing = ThingName.of(thingName);
        } catch (IllegalArgumentException e) {
            throw new InvalidTelemetry("thingName", e.getMessage());
        }
        long start = instant("from", from);
        long end = instant("to", to);
        if (end <= start) {
            throw new InvalidTelemetry("to", "must be after from");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidTelemetry("limit", "must be 1 to " + MAX_LIMIT);
        }
        TelemetryHistory.Page page = history.between(thing, start, end, limit, Optional.ofNullable(cursor));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("thingName", thing.value());
        answer.put(
                "records",
                page.records().stream()
                        .map(r -> {
                            Map<String, Object> record = new LinkedHashMap<>();
                            record.put("messageId", r.messageId().value());
                            record.put("seq", r.seq());
                            record.put("ts", r.ts());
                            record.put("metrics", r.metrics());
                            record.put("clientId", r.clientId());
                            record.put("receivedAt", r.receivedAt());
                            record.put("ingestedIn", r.ingestedIn().code());
                            return record;
                        })
                        .toList());
        answer.put("nextCursor", page.next().orElse(null));
        return answer;
    }

    private static long instant(String field, String value) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            throw new InvalidTelemetry(field, "must be an ISO-8601 instant such as 2026-12-06T08:00:00Z");
        }
    }
}
