package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/** The name of a static thing group: 1 to 128 characters of {@code [a-zA-Z0-9:_-]}. */
public record ThingGroupName(String value) implements Comparable<ThingGroupName> {
    private static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9:_-]+");

    public ThingGroupName {
        Checks.matching("thing group name", value, PATTERN, 1, 128);
    }

    public static ThingGroupName of(String value) {
        return new ThingGroupName(value);
    }

    @Override
    public int compareTo(ThingGroupName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
