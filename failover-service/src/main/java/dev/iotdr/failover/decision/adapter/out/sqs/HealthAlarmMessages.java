package dev.iotdr.failover.decision.adapter.out.sqs;

import dev.iotdr.failover.decision.application.HealthSignal;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Route 53 health-check state change as CloudWatch delivers it (an alarm on the check's
 * HealthCheckStatus metric, through SNS, into SQS): the SNS envelope is optional, the alarm names the
 * health check in its dimensions (or, failing that, ends in the region code). Anything else is not a signal.
 */
final class HealthAlarmMessages {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HealthAlarmMessages() {}

    private static Optional<Instant> stateChangeTime(JsonNode message) {
        String text = message.path("StateChangeTime").asString("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, ALARM_TIME).toInstant());
        } catch (DateTimeParseException notCloudWatchFormat) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    /** CloudWatch's alarm time format, e.g. {@code 2026-11-23T10:00:00.000+0000}. */
    private static final DateTimeFormatter ALARM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /**
     * Reads one message. The signal is stamped with the alarm's own {@code StateChangeTime} (when the state
     * changed, not when the message arrived), so a late message is recognised as old by the health monitor;
     * the receive time only stands in when the alarm carries no readable time.
     */
    static Optional<HealthSignal> parse(String body, Map<String, Region> healthCheckRegions, Instant receivedAt) {
        try {
            JsonNode message = JSON.readTree(body);
            if (message.has("Type") && message.has("Message")) {
                message = JSON.readTree(message.get("Message").asString());
            }
            if (!message.has("NewStateValue") || !message.has("AlarmName")) {
                return Optional.empty();
            }
            String state = message.get("NewStateValue").asString();
            if (!state.equals("ALARM") && !state.equals("OK")) {
                return Optional.empty(); // INSUFFICIENT_DATA says nothing about the region
            }
            Optional<Region> region = Optional.empty();
            JsonNode dimensions = message.path("Trigger").path("Dimensions");
            for (JsonNode dimension : dimensions) {
                if ("HealthCheckId".equals(dimension.path("name").asString())) {
                    region = Optional.ofNullable(
                            healthCheckRegions.get(dimension.path("value").asString()));
                }
            }
            if (region.isEmpty()) {
                String alarm = message.get("AlarmName").asString();
                region = healthCheckRegions.values().stream()
                        .distinct()
                        .filter(r -> alarm.endsWith(r.code()))
                        .findFirst();
            }
            String detail = "route53 health check " + state + ": "
                    + message.get("AlarmName").asString();
            Instant at = stateChangeTime(message).orElse(receivedAt);
            return region.map(r -> new HealthSignal(r, state.equals("OK"), at, detail));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
