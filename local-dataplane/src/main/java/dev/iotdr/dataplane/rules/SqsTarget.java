package dev.iotdr.dataplane.rules;

import java.util.Objects;

/** Where an SQS rule action (or error action) sends: the queue as the rule names it, and whether to base64. */
record SqsTarget(String queueUrl, boolean useBase64) {
    SqsTarget {
        Objects.requireNonNull(queueUrl, "queueUrl");
        if (queueName(queueUrl).isEmpty()) {
            throw new UnsupportedRuleException("SQS action queueUrl '" + queueUrl + "' names no queue;"
                    + " give https://sqs.<region>.amazonaws.com/<account>/<queue name>");
        }
    }

    /** The queue name: the URL's last path segment, which is all that identifies the queue locally. */
    String queueName() {
        return queueName(queueUrl);
    }

    private static String queueName(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
