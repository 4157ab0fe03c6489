package dev.iotdr.telemetry.presence.domain;

import dev.iotdr.shared.domain.Region;
import java.util.Optional;

/**
 * A device's presence as one region's endpoint last told it: its current (or last) session, when that session
 * connected ({@code 0} when its connect has not been seen), connected or not, since when, the newest event seen,
 * and why it last disconnected.
 *
 * <p>Sessions, not timestamps alone, decide: a device that reconnects has its new session's {@code connected}
 * before the old session's {@code disconnected} (taken over), which carries a later time. So a {@code connected} of
 * another session applies when that session connected after the current one did; a {@code disconnected} applies
 * only to the current session; a session's own events are idempotent, and its {@code connected} arriving after its
 * {@code disconnected} changes nothing. (When a device's first event seen is a disconnect, its session's start is
 * unknown and the next other session's connect applies: the session that took it over, unless an even older
 * session's connect arrives later still, which its own disconnect then corrects.)
 */
public record DevicePresence(
        String clientId,
        Region region,
        String session,
        long sessionConnectedAt,
        boolean connected,
        long since,
        long lastEventAt,
        Optional<String> disconnectReason) {

    /** The state after {@code event}, or empty when the event changes nothing (stale, or seen already). */
    public Optional<DevicePresence> after(PresenceEvent event) {
        long lastSeen = Math.max(lastEventAt, event.timestamp());
        if (!event.sessionIdentifier().equals(session)) {
            if (event.connected() && event.timestamp() > sessionConnectedAt) {
                return Optional.of(new DevicePresence(
                        clientId,
                        region,
                        event.sessionIdentifier(),
                        event.timestamp(),
                        true,
                        event.timestamp(),
                        lastSeen,
                        Optional.empty()));
            }
            return Optional.empty(); // an older session's event, or the disconnect of a session taken over
        }
        if (connected && !event.connected()) {
            return Optional.of(new DevicePresence(
                    clientId,
                    region,
                    session,
                    sessionConnectedAt,
                    false,
                    event.timestamp(),
                    lastSeen,
                    event.disconnectReason()));
        }
        return Optional.empty(); // a redelivery, or this session's connect arriving after its disconnect
    }

    /** The state a device's first event gives. */
    public static DevicePresence first(PresenceEvent event) {
        return new DevicePresence(
                event.clientId(),
                event.region(),
                event.sessionIdentifier(),
                event.connected() ? event.timestamp() : 0,
                event.connected(),
                event.timestamp(),
                event.timestamp(),
                event.connected() ? Optional.empty() : event.disconnectReason());
    }
}
