package dev.iotdr.telemetry.ingest.application;

import dev.iotdr.shared.domain.MessageId;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.shared.domain.ThingName;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import dev.iotdr.telemetry.ingest.domain.TelemetryLimits;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads telemetry messages in the contract's shape and refuses, naming the field, anything outside it: unknown or
 * repeated fields, a message over the size limit, ids that are not ids, a timestamp outside the allowed skew,
 * metrics that are not named finite numbers or bounded strings. Numbers are kept as the decimal the device sent
 * (DynamoDB stores them so: at most 38 significant digits, magnitude 1E-130 to 1E126).
 */
public final class TelemetryParser {
    /** The fields a message from the topic rule may carry: the device's four and the three the rule adds. */
    static final Set<String> QUEUE_FIELDS =
            Set.of("messageId", "seq", "ts", "metrics", "thingName", "clientId", "receivedAt");
    /** The fields of one record of a gateway's batch. */
    static final Set<String> BATCH_FIELDS = Set.of("thingName", "messageId", "seq", "ts", "metrics");

    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final BigDecimal LARGEST = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal SMALLEST = new BigDecimal("1E-130");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final TelemetryLimits limits;
    private final Region region;

    public TelemetryParser(TelemetryLimits limits, Region region) {
        this.limits = limits;
        this.region = region;
    }

    /** A message as the region's topic rule sent it to the telemetry queue. */
    public TelemetryRecord fromQueue(String body, Instant now) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limits.maxMessageBytes()) {
            throw new InvalidTelemetry(
                    "message", "is " + bytes.length + " bytes; at most " + limits.maxMessageBytes() + " are allowed");
        }
        JsonNode message;
        try {
            message = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidTelemetry("message", "is not a JSON object: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw new InvalidTelemetry("message", "must be a JSON object");
        }
        onlyKnown(message, QUEUE_FIELDS, "");
        long receivedAt = message.has("receivedAt") ? epochMillis(message, "receivedAt", "") : now.toEpochMilli();
        String clientId = message.has("clientId") ? text(message, "clientId", "", 128) : null;
        return record(message, "", clientId, receivedAt, now);
    }

    /**
     * One record of a gateway's batch ({@code records[i]}); {@code clientId} names the caller, {@code now} is when
     * the batch arrived.
     */
    public TelemetryRecord fromBatch(JsonNode record, int index, String clientId, Instant now) {
        String path = "records[" + index + "].";
        if (record == null || !record.isObject()) {
            throw new InvalidTelemetry("records[" + index + "]", "must be a JSON object");
        }
        int size = record.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxMessageBytes()) {
            throw new InvalidTelemetry(
                    "records[" + index + "]",
                    "is " + size + " bytes; at most " + limits.maxMessageBytes() + " are allowed");
        }
        onlyKnown(record, BATCH_FIELDS, path);
        return record(record, path, clientId, now.toEpochMilli(), now);
    }

    /** Reads a request body the way batch records are read (strict: no repeated fields, decimals kept). */
    public static JsonNode readTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidTelemetry("body", "is not JSON: " + e.getOriginalMessage());
        }
    }

    private TelemetryRecord record(JsonNode message, String path, String clientId, long receivedAt, Instant now) {
        ThingName thing;
        try {
            thing = ThingName.of(text(message, "thingName", path, 128));
        } catch (IllegalArgumentException e) {
            throw new InvalidTelemetry(path + "thingName", e.getMessage());
        }
        MessageId id;
        try {
            id = MessageId.of(text(message, "messageId", path, 64));
        } catch (IllegalArgumentException e) {
            throw new InvalidTelemetry(path + "messageId", e.getMessage());
        }
        long seq = wholeNumber(message, "seq", path);
        if (seq < 0) {
            throw new InvalidTelemetry(path + "seq", "must be 0 or more, was " + seq);
        }
        long ts = epochMillis(message, "ts", path);
        if (ts > now.plus(limits.maxFutureSkew()).toEpochMilli()) {
            throw new InvalidTelemetry(
                    path + "ts",
                    "is " + Instant.ofEpochMilli(ts) + ", more than " + limits.maxFutureSkew()
                            + " ahead of the cloud's clock (" + now + ")");
        }
        if (ts < now.minus(limits.maxAge()).toEpochMilli()) {
            throw new InvalidTelemetry(
                    path + "ts",
                    "is " + Instant.ofEpochMilli(ts) + ", older than the " + limits.maxAge() + " the hot store keeps");
        }
        Map<String, Object> metrics = metrics(message.get("metrics"), path + "metrics");
        return new TelemetryRecord(thing, id, seq, ts, metrics, clientId, receivedAt, region);
    }

    private Map<String, Object> metrics(JsonNode metrics, String path) {
        if (metrics == null || !metrics.isObject()) {
            throw new InvalidTelemetry(path, "is required: an object of named numbers or strings");
        }
        if (metrics.size() > limits.maxMetrics()) {
            throw new InvalidTelemetry(
                    path, "has " + metrics.size() + " metrics; at most " + limits.maxMetrics() + " are allowed");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> metric : metrics.properties()) {
            String name = metric.getKey();
            String field = path + "." + name;
            if (name.isEmpty()
                    || name.length() > limits.maxMetricNameLength()
                    || !METRIC_NAME.matcher(name).matches()) {
                throw new InvalidTelemetry(
                        field,
                        "a metric's name must be 1 to " + limits.maxMetricNameLength() + " characters of "
                                + METRIC_NAME.pattern());
            }
            JsonNode value = metric.getValue();
            if (value.isNumber()) {
                values.put(name, number(value.decimalValue(), field));
            } else if (value.isString()) {
                String text = value.asString();
                if (text.length() > limits.maxStringLength()) {
                    throw new InvalidTelemetry(
                            field, "is " + text.length() + " characters; at most " + limits.maxStringLength());
                }
                values.put(name, text);
            } else {
                throw new InvalidTelemetry(field, "must be a number or a string, was " + value.getNodeType());
            }
        }
        return values;
    }

    /** A finite decimal DynamoDB can store exactly. */
    private static BigDecimal number(BigDecimal value, String field) {
        BigDecimal magnitude = value.abs();
        if (magnitude.compareTo(LARGEST) > 0
                || (magnitude.signum() != 0 && magnitude.compareTo(SMALLEST) < 0)
                || value.stripTrailingZeros().precision() > 38) {
            throw new InvalidTelemetry(
                    field, "must be a finite number of at most 38 digits with magnitude 1E-130 to 1E126");
        }
        return value;
    }

    private static void onlyKnown(JsonNode object, Set<String> allowed, String path) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new InvalidTelemetry(
                        path + name, "is not a field of a telemetry message (allowed: " + sorted(allowed) + ")");
            }
        }
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new java.util.TreeSet<>(names));
    }

    private static String text(JsonNode message, String name, String path, int maxLength) {
        JsonNode value = message.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidTelemetry(path + name, "is required");
        }
        if (!value.isString()) {
            throw new InvalidTelemetry(path + name, "must be a string");
        }
        String text = value.asString();
        if (text.length() > maxLength) {
            throw new InvalidTelemetry(path + name, "must be at most " + maxLength + " characters");
        }
        return text;
    }

    private static long wholeNumber(JsonNode message, String name, String path) {
        JsonNode value = message.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidTelemetry(path + name, "is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidTelemetry(path + name, "must be a whole number");
        }
        return value.longValue();
    }

    private static long epochMillis(JsonNode message, String name, String path) {
        long millis = wholeNumber(message, name, path);
        if (millis < 0) {
            throw new InvalidTelemetry(path + name, "must be epoch milliseconds, was " + millis);
        }
        return millis;
    }
}
