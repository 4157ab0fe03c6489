package dev.iotdr.shared.domain;

import java.util.regex.Pattern;

/** Shared argument checks for the value types of this package; each failure says what is allowed. */
final class Checks {
    private Checks() {}

    static String matching(String what, String value, Pattern pattern, int minLength, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (value.length() < minLength || value.length() > maxLength) {
            throw new IllegalArgumentException(
                    what + " must be " + minLength + " to " + maxLength + " characters long, was " + value.length());
        }
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + printable(value) + "' must match " + pattern.pattern());
        }
        return value;
    }

    static <T> T required(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    /** Keeps error messages short and single-line whatever a caller sent. */
    static String printable(String value) {
        String shortened = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
