package dev.iotdr.telemetry.ingest.domain;

/**
 * A telemetry message that breaks the contract, naming the field ({@code ts}, {@code metrics.temp}, ...) and what is
 * allowed. Nothing of such a message is stored; the batch API answers it as a 4xx problem, the queue path parks it
 * in the dead-letter queue with the same reason.
 */
public final class InvalidTelemetry extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidTelemetry(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The field at fault, as a path into the message ({@code metrics.temp}); {@code message} for the whole. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field's name. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
