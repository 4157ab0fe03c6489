package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * How the sender reads SQS's per-message answers to a batch, which the emulator never gives (it refuses a whole batch
 * instead; SqsQueueSenderIntegrationTest covers that against it): an SQS that answers a batch in its own order, some
 * messages refused for the sender's fault, some for its own.
 */
class SqsQueueSenderTest {

    /** An SQS answering SendMessageBatch with {@code verdict} per message body; records what was sent alone. */
    private static final class PerMessageSqs implements SqsClient {
        final Function<String, String> verdict;
        final List<String> sentAlone = new CopyOnWriteArrayList<>();

        PerMessageSqs(Function<String, String> verdict) {
            this.verdict = verdict;
        }

        @Override
        public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
            return GetQueueUrlResponse.builder()
                    .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/" + request.queueName())
                    .build();
        }

        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            List<SendMessageBatchResultEntry> successful = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            // answered last entry first: the sender must match answers by id, not by position
            for (SendMessageBatchRequestEntry entry : request.entries().reversed()) {
                switch (verdict.apply(entry.messageBody())) {
                    case "ok" ->
                        successful.add(SendMessageBatchResultEntry.builder()
                                .id(entry.id())
                                .messageId("m-" + entry.id())
                                .build());
                    case "sender" ->
                        failed.add(BatchResultErrorEntry.builder()
                                .id(entry.id())
                                .code("InvalidMessageContents")
                                .message("bad characters")
                                .senderFault(true)
                                .build());
                    default ->
                        failed.add(BatchResultErrorEntry.builder()
                                .id(entry.id())
                                .code("InternalError")
                                .message("try again")
                                .senderFault(false)
                                .build());
                }
            }
            return SendMessageBatchResponse.builder()
                    .successful(successful)
                    .failed(failed)
                    .build();
        }

        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            sentAlone.add(request.messageBody());
            return SendMessageResponse.builder().messageId("alone").build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {}
    }

    private static final SqsTarget QUEUE =
            new SqsTarget("https://sqs.eu-west-1.amazonaws.com/123456789012/telemetry", false);

    @Test
    void aMessageRefusedForTheSendersFaultFailsWithTheCodeSqsGave() {
        SqsQueueSender sender = new SqsQueueSender(new PerMessageSqs(body -> body.startsWith("bad") ? "sender" : "ok"));

        sender.send(QUEUE, "good-1");
        assertThatThrownBy(() -> sender.send(QUEUE, "bad-2"))
                .isInstanceOf(QueueSendException.class)
                .hasMessageContaining("InvalidMessageContents")
                .satisfies(failure ->
                        assertThat(((QueueSendException) failure).throttled()).isFalse());
    }

    @Test
    void aMessageSqsRefusedForItsOwnFaultIsSentAgainAloneAndSucceeds() {
        PerMessageSqs sqs = new PerMessageSqs(body -> body.startsWith("unlucky") ? "sqs" : "ok");
        SqsQueueSender sender = new SqsQueueSender(sqs);

        sender.send(QUEUE, "unlucky-1");

        assertThat(sqs.sentAlone).containsExactly("unlucky-1");
    }

    @Test
    void answersGivenInAnotherOrderReachTheirOwnCallers() throws Exception {
        PerMessageSqs sqs = new PerMessageSqs(body -> body.startsWith("bad") ? "sender" : "ok");
        SqsQueueSender sender = new SqsQueueSender(sqs);
        List<Thread> callers = new ArrayList<>();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 60; i++) {
            String body = (i % 3 == 0 ? "bad-" : "good-") + i;
            callers.add(Thread.ofPlatform().start(() -> {
                try {
                    sender.send(QUEUE, body);
                    outcomes.add(body + " sent");
                } catch (QueueSendException refused) {
                    outcomes.add(body + " refused");
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join(30_000);
        }

        assertThat(outcomes).hasSize(60).allSatisfy(outcome -> assertThat(outcome)
                .matches(text -> text.startsWith("bad-") == text.endsWith(" refused"), "bad refused, good sent"));
    }
}
