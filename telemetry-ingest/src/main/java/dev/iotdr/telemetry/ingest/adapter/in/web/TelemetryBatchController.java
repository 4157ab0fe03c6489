package dev.iotdr.telemetry.ingest.adapter.in.web;

import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.service.web.PayloadTooLargeException;
import dev.iotdr.telemetry.config.TelemetryProperties;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.BatchResult;
import dev.iotdr.telemetry.ingest.application.TelemetryParser;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/telemetry/batches}: a gateway's batch ({@code {"records": [...]}}, optionally {@code
 * Content-Encoding: gzip}). Any invalid record refuses the whole batch with a problem naming {@code
 * records[i].field} (nothing is stored: the gateway fixes and resends); otherwise every record gets its own result,
 * stored or duplicate (idempotent by {@code (thingName, messageId)}: resending a batch stores nothing twice) or
 * failed (send that record again).
 */
@RestController
class TelemetryBatchController {
    private final IngestTelemetry ingest;
    private final TelemetryProperties properties;

    TelemetryBatchController(IngestTelemetry ingest, TelemetryProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/telemetry/batches", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> batch(
            @RequestBody byte[] body,
            @RequestHeader(name = "Content-Encoding", required = false) String encoding,
            Principal caller)
            throws PayloadTooLargeException {
        JsonNode request = TelemetryParser.readTree(decoded(body, encoding));
        if (request == null || !request.isObject()) {
            throw new InvalidTelemetry("body", "must be an object with a records array");
        }
        for (String field : request.propertyNames()) {
            if (!field.equals("records")) {
                throw new InvalidTelemetry(field, "is not a field of a batch (allowed: records)");
            }
        }
        JsonNode records = request.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw new InvalidTelemetry(
                    "records", "must be an array of 1 to " + properties.maxBatchRecords() + " records");
        }
        if (records.size() > properties.maxBatchRecords()) {
            throw new InvalidTelemetry(
                    "records",
                    "holds " + records.size() + " records; at most " + properties.maxBatchRecords() + " are allowed");
        }
        List<BatchResult> results = ingest.fromBatch(records, caller.getName());
        long failed = results.stream().filter(r -> r.outcome().isEmpty()).count();
        if (failed == results.size()) {
            throw new DependencyUnavailableException(
                    "dynamodb:PutItem", "the hot store took none of the records", Duration.ofSeconds(2), null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "stored",
                results.stream()
                        .filter(r ->
                                r.outcome().map(o -> o.name().equals("STORED")).orElse(false))
                        .count());
        answer.put(
                "duplicates",
                results.stream()
                        .filter(r -> r.outcome()
                                .map(o -> o.name().equals("DUPLICATE"))
                                .orElse(false))
                        .count());
        answer.put("failed", failed);
        answer.put(
                "records",
                results.stream()
                        .map(r -> Map.of(
                                "index", r.index(),
                                "thingName", r.thingName(),
                                "messageId", r.messageId(),
                                "outcome",
                                        r.outcome()
                                                .map(o -> o.name().toLowerCase(java.util.Locale.ROOT))
                                                .orElse("failed")))
                        .toList());
        return answer;
    }

    /** A {@code Content-Encoding} other than gzip: 415, as RFC 9110 says. */
    static final class UnsupportedEncoding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedEncoding(String encoding) {
            super("Content-Encoding '" + encoding + "' is not supported: send gzip or no encoding");
        }
    }

    /** The body as sent, or gunzipped (bounded: a small gzip body may expand to far more than the limit). */
    private byte[] decoded(byte[] body, String encoding) throws PayloadTooLargeException {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new UnsupportedEncoding(encoding);
        }
        long limit = properties.maxBatchBytes();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    throw new PayloadTooLargeException(limit);
                }
            }
            return out.toByteArray();
        } catch (PayloadTooLargeException tooLarge) {
            throw tooLarge;
        } catch (IOException e) {
            throw new InvalidTelemetry("body", "is not valid gzip: " + e.getMessage());
        }
    }
}
