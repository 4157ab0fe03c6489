package dev.iotdr.failover.decision.adapter.sqs;

import dev.iotdr.failover.decision.application.Ports.HealthSignal;
import dev.iotdr.shared.domain.Region;
import java.time.Instant;
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
            return region.map(r -> new HealthSignal(r, state.equals("OK"), receivedAt, detail));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
