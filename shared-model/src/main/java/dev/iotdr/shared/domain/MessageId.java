package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/**
 * A telemetry message's id, unique per device and stable across resends (the edge agent uses a UUID): 1 to 64
 * characters of {@code [a-zA-Z0-9:_.-]}. With the thing name it is the key that stores a message once.
 */
public record MessageId(String value) {
    static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9:_.-]+");
    static final int MAX_LENGTH = 64;

    public MessageId {
        Checks.matching("messageId", value, PATTERN, 1, MAX_LENGTH);
    }

    public static MessageId of(String value) {
        return new MessageId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
