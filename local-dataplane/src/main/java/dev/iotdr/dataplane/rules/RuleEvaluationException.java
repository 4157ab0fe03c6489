package dev.iotdr.dataplane.rules;

/** A message a supported rule cannot process as its SQL asks; the message goes to the rule's error action. */
final class RuleEvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RuleEvaluationException(String message) {
        super(message);
    }
}
