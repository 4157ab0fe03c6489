package dev.iotdr.onboarding.devices.adapter.in.web;

import java.io.IOException;

/** A request body over the configured limit; answered 413. */
final class PayloadTooLargeException extends IOException {
    PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
