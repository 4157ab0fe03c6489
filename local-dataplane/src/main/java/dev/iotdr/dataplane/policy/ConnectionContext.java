package dev.iotdr.dataplane.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What IoT Core knows about a connection when it evaluates policies: the MQTT client id and, if the certificate
 * is attached to the thing of that name, the thing.
 */
public record ConnectionContext(String clientId, Optional<AttachedThing> thing) {
    public ConnectionContext {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(thing, "thing (use Optional.empty() when no thing is attached)");
    }

    /** A connection whose certificate is attached to the thing named like its client id. */
    public static ConnectionContext attached(AttachedThing thing) {
        return new ConnectionContext(thing.name(), Optional.of(thing));
    }

    /** A connection whose certificate is attached to no thing of its client id's name. */
    public static ConnectionContext unattached(String clientId) {
        return new ConnectionContext(clientId, Optional.empty());
    }

    /**
     * The value of a policy variable or condition key (without {@code ${}}), or empty when it has none here:
     * unknown keys and thing keys without a thing have no value.
     */
    Optional<String> value(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String attributePrefix = "iot:connection.thing.attributes[";
        if (lower.startsWith(attributePrefix) && lower.endsWith("]")) {
            // attribute names keep their case: only the key's fixed part is case-insensitive
            String attribute = key.substring(attributePrefix.length(), key.length() - 1);
            return thing.flatMap(t -> Optional.ofNullable(t.attributes().get(attribute)));
        }
        return switch (lower) {
            case "iot:clientid" -> Optional.of(clientId);
            case "iot:connection.thing.thingname" -> thing.map(AttachedThing::name);
            case "iot:connection.thing.thingtypename" -> thing.flatMap(AttachedThing::typeName);
            case "iot:connection.thing.isattached" -> Optional.of(Boolean.toString(thing.isPresent()));
            default -> Optional.empty();
        };
    }
}
