package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/** The name of an AWS IoT policy: 1 to 128 characters of {@code [\w+=,.@-]}. */
public record PolicyName(String value) {
    private static final Pattern PATTERN = Pattern.compile("[\\w+=,.@-]+");

    public PolicyName {
        Checks.matching("policy name", value, PATTERN, 1, 128);
    }

    public static PolicyName of(String value) {
        return new PolicyName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
