package dev.iotdr.dataplane.rules;

/** A queue did not accept a message; {@code throttled} says whether trying again later may succeed. */
final class QueueSendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean throttled;

    QueueSendException(String message, boolean throttled, Throwable cause) {
        super(message, cause);
        this.throttled = throttled;
    }

    boolean throttled() {
        return throttled;
    }
}
