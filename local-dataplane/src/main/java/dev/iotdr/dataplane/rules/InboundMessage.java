package dev.iotdr.dataplane.rules;

import java.util.Objects;
import java.util.Optional;

/** A message the broker accepted, as the rules engine sees it. */
record InboundMessage(
        String topic, byte[] payload, Optional<String> clientId, Optional<String> principal, long receivedAtMillis) {
    InboundMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(principal, "principal");
    }
}
