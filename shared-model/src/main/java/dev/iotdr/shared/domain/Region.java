package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/**
 * An AWS region code such as {@code us-east-1} or {@code us-gov-west-1}. Validated by shape, not against a
 * list, so that a region AWS opens next year needs no release of ours.
 */
public record Region(String code) implements Comparable<Region> {
    private static final Pattern PATTERN = Pattern.compile("[a-z]{2}(-[a-z]+){1,2}-[1-9][0-9]?");

    public Region {
        Checks.matching("region", code, PATTERN, 9, 25);
    }

    public static Region of(String code) {
        return new Region(code);
    }

    @Override
    public int compareTo(Region other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}
