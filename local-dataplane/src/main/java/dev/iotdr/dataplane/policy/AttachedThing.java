package dev.iotdr.dataplane.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The thing the connection's certificate is attached to and whose name is the client id, as the thing policy
 * variables see it.
 */
public record AttachedThing(String name, Optional<String> typeName, Map<String, String> attributes) {
    public AttachedThing {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeName, "typeName (use Optional.empty() for a thing without a type)");
        if (name.isBlank()) {
            throw new IllegalArgumentException("thing name is blank; a thing name has 1 to 128 characters");
        }
        attributes = Map.copyOf(attributes);
    }

    public static AttachedThing named(String name) {
        return new AttachedThing(name, Optional.empty(), Map.of());
    }
}
