package dev.iotdr.telemetry.presence.application;

import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.telemetry.ingest.application.DeadLetters;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueMessage;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueOutcome;
import dev.iotdr.telemetry.presence.domain.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies the region's lifecycle events (from the presence queue) to the fleet's presence: newest event per device
 * wins, whatever order they arrive in and however often; an event that is not one is parked with its reason.
 */
public final class RecordPresence {
    private static final Logger log = LoggerFactory.getLogger(RecordPresence.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TYPES = Set.of("connected", "disconnected");

    private final PresenceStore store;
    private final DeadLetters deadLetters;
    private final Region region;
    private final int maxReceives;

    public RecordPresence(PresenceStore store, DeadLetters deadLetters, Region region, int maxReceives) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.region = region;
        this.maxReceives = maxReceives;
    }

    /** Applies a batch of presence queue messages, one after another (events of one device are few). */
    public List<QueueOutcome> fromQueue(List<QueueMessage> messages) {
        List<QueueOutcome> outcomes = new ArrayList<>();
        for (QueueMessage message : messages) {
            outcomes.add(apply(message));
        }
        return outcomes;
    }

    private QueueOutcome apply(QueueMessage message) {
        PresenceEvent event;
        try {
            event = parse(message.body());
        } catch (IllegalArgumentException invalid) {
            return park(message, invalid.getMessage());
        }
        try {
            store.apply(event);
            return QueueOutcome.STORED;
        } catch (DependencyUnavailableException unavailable) {
            log.debug("presence of {} not applied yet: {}", event.clientId(), unavailable.toString());
            return QueueOutcome.RETRY; // a dependency's outage is never a reason to park an event
        } catch (RuntimeException failure) {
            if (message.receives() >= maxReceives) {
                return park(message, "could not be applied after " + message.receives() + " receives: " + failure);
            }
            log.debug("presence of {} not applied yet: {}", event.clientId(), failure.toString());
            return QueueOutcome.RETRY;
        }
    }

    private QueueOutcome park(QueueMessage message, String reason) {
        try {
            deadLetters.park(message.body(), "event", reason, message.receives());
            return QueueOutcome.PARKED;
        } catch (RuntimeException unavailable) {
            return QueueOutcome.RETRY;
        }
    }

    PresenceEvent parse(String body) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("a lifecycle event is a JSON object");
        }
        String type = event.path("eventType").asString("");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("eventType must be connected or disconnected, was '" + type + "'");
        }
        if (!event.path("clientId").isString() || !event.path("timestamp").canConvertToLong()) {
            throw new IllegalArgumentException("clientId (string) and timestamp (epoch ms) are required");
        }
        return new PresenceEvent(
                event.get("clientId").asString(),
                type.equals("connected"),
                event.get("timestamp").asLong(),
                event.path("versionNumber").asLong(0),
                event.path("sessionIdentifier").asString(""),
                event.has("disconnectReason")
                        ? Optional.of(event.get("disconnectReason").asString())
                        : Optional.empty(),
                region);
    }
}
