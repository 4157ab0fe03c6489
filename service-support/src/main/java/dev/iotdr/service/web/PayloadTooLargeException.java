package dev.iotdr.service.web;

import java.io.IOException;

/** A request body over the configured limit; answered 413. */
public final class PayloadTooLargeException extends IOException {
    public PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
