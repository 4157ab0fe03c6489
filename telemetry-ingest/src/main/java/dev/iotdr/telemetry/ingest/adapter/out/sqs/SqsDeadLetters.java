package dev.iotdr.telemetry.ingest.adapter.out.sqs;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.telemetry.ingest.application.DeadLetters;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Parks a message in the telemetry dead-letter queue as it came, with {@code iotdr-field}, {@code iotdr-reason} and
 * {@code iotdr-receives} as message attributes: its cause is readable beside it (SQS's own redrive moves a message
 * without saying why, and stays as the backstop when this service cannot park).
 */
public final class SqsDeadLetters implements DeadLetters {
    private final SqsClient sqs;
    private final GuardedAwsCalls calls;
    private final Supplier<String> queueUrl;

    public SqsDeadLetters(SqsClient sqs, GuardedAwsCalls calls, Supplier<String> queueUrl) {
        this.sqs = sqs;
        this.calls = calls;
        this.queueUrl = queueUrl;
    }

    @Override
    public void park(String body, String field, String reason, int receives) {
        String url = queueUrl.get();
        calls.run(
                AwsApi.SQS_SEND_MESSAGE,
                () -> sqs.sendMessage(r -> r.queueUrl(url)
                        .messageBody(body)
                        .messageAttributes(Map.of(
                                "iotdr-field", text(field),
                                "iotdr-reason", text(reason.length() > 1000 ? reason.substring(0, 1000) : reason),
                                "iotdr-receives",
                                        MessageAttributeValue.builder()
                                                .dataType("Number")
                                                .stringValue(Integer.toString(receives))
                                                .build()))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
