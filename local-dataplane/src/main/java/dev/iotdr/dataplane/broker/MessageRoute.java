package dev.iotdr.dataplane.broker;

/**
 * Where an accepted message goes besides the subscribers: the region's topic rules. Called once per accepted
 * PUBLISH and per lifecycle event; must not block the caller.
 */
@FunctionalInterface
public interface MessageRoute extends AutoCloseable {
    void accepted(String topic, byte[] payload, String clientId, String principal, long receivedAtMillis);

    /** Stops taking messages once those accepted are handed on. */
    @Override
    default void close() {}

    MessageRoute NONE = (topic, payload, clientId, principal, receivedAtMillis) -> {};
}
