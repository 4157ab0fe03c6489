package dev.iotdr.telemetry.presence.domain;

import dev.iotdr.shared.domain.Region;
import java.util.Optional;

/**
 * One lifecycle event of a region's IoT endpoint ({@code $aws/events/presence/connected|disconnected/<clientId>},
 * AWS's fields): who, connected or not, when (the endpoint's clock, epoch ms), in which session. Events arrive out
 * of order and more than once, and a reconnect's {@code connected} comes before the old session's {@code
 * disconnected} (taken over): {@link DevicePresence#after} says which events change a device's state.
 */
public record PresenceEvent(
        String clientId,
        boolean connected,
        long timestamp,
        long versionNumber,
        String sessionIdentifier,
        Optional<String> disconnectReason,
        Region region) {
    public PresenceEvent {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 128) {
            throw new IllegalArgumentException("clientId must be 1 to 128 characters");
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be epoch milliseconds, was " + timestamp);
        }
        if (clientId.startsWith("#")) {
            throw new IllegalArgumentException("clientId must not start with # (not a thing name)");
        }
        sessionIdentifier = sessionIdentifier == null ? "" : sessionIdentifier;
    }
}
