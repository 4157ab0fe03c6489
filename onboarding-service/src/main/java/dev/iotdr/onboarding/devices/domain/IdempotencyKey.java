package dev.iotdr.onboarding.devices.domain;

import java.util.regex.Pattern;

/** The caller's {@code Idempotency-Key}: 1 to 255 visible ASCII characters, unique per intended request. */
public record IdempotencyKey(String value) {
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]{1,255}");

    public IdempotencyKey {
        if (value == null || !VISIBLE_ASCII.matcher(value).matches()) {
            throw new IllegalArgumentException("Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
