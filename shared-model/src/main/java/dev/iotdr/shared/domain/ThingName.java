package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/** The name of a thing in the AWS IoT registry: 1 to 128 characters of {@code [a-zA-Z0-9:_-]}. */
public record ThingName(String value) {
    static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9:_-]+");
    static final int MAX_LENGTH = 128;

    public ThingName {
        Checks.matching("thing name", value, PATTERN, 1, MAX_LENGTH);
    }

    public static ThingName of(String value) {
        return new ThingName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
