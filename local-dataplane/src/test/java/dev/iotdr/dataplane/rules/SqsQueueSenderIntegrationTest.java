package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The rules engine's SQS sender against a region's real emulator: messages sent at once to one queue share requests
 * (SendMessageBatch), and each still arrives exactly once with its caller told its own outcome.
 */
@ExtendWith(LocalCloudExtension.class)
class SqsQueueSenderIntegrationTest {

    /** Counts the SQS requests the sender makes (the client is real; only the count is added). */
    private static final class Requests implements ExecutionInterceptor {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger singles = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageBatchRequest) {
                batches.incrementAndGet();
            } else if (context.request() instanceof SendMessageRequest) {
                singles.incrementAndGet();
            }
        }
    }

    @Test
    void messagesSentAtOnceArriveEachOnceInFewerRequestsThanMessages(LocalCloud cloud, RegionalAwsClients clients)
            throws Exception {
        Region region = cloud.regions().get(0);
        Requests requests = new Requests();
        int messages = 300;
        try (SqsClient sqs = counted(clients, region, requests)) {
            String url = sqs.createQueue(r -> r.queueName("itest-batched-" + UUID.randomUUID()))
                    .queueUrl();
            SqsQueueSender sender = new SqsQueueSender(sqs);

            List<Throwable> outcomes = sendAtOnce(sender, new SqsTarget(url, false), messages, i -> "message-" + i);

            assertThat(outcomes).hasSize(messages).containsOnlyNulls();

            Map<String, Integer> received = drain(sqs, url, messages);
            assertThat(received).hasSize(messages).allSatisfy((body, copies) -> assertThat(copies)
                    .as("copies of %s", body)
                    .isEqualTo(1));
            assertThat(requests.batches.get() + requests.singles.get())
                    .as("requests for %d messages sent by 40 callers at once", messages)
                    .isLessThan(messages);
        }
    }

    /**
     * SQS answers a batch per message; moto 5.2.1 refuses the whole batch when one message is invalid (a quirk this
     * test leans on to reach the sender's fallback of sending each message alone). Either way only that message fails.
     */
    @Test
    void aMessageTheQueueRefusesFailsAloneAndTheOthersInItsBatchArrive(LocalCloud cloud, RegionalAwsClients clients)
            throws Exception {
        Region region = cloud.regions().get(0);
        Requests requests = new Requests();
        try (SqsClient sqs = counted(clients, region, requests)) {
            // the queue takes at most 1 KiB per message: one message of 2 KiB is refused, the others fit
            String url = sqs.createQueue(r -> r.queueName("itest-small-" + UUID.randomUUID())
                            .attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024")))
                    .queueUrl();
            SqsQueueSender sender = new SqsQueueSender(sqs);
            int messages = 120;
            int tooLarge = 57;

            List<Throwable> outcomes = sendAtOnce(
                    sender,
                    new SqsTarget(url, false),
                    messages,
                    i -> i == tooLarge ? "x".repeat(2048) : "message-" + i);

            assertThat(outcomes.get(tooLarge)).isInstanceOf(QueueSendException.class);
            assertThat(outcomes).filteredOn(outcome -> outcome != null).hasSize(1);
            Map<String, Integer> received = drain(sqs, url, messages - 1);
            assertThat(received).hasSize(messages - 1).doesNotContainKey("x".repeat(2048));
        }
    }

    private static SqsClient counted(RegionalAwsClients clients, Region region, Requests requests) {
        return SqsClient.builder()
                .region(software.amazon.awssdk.regions.Region.of(region.code()))
                .endpointOverride(clients.endpoint(AwsService.SQS, region).orElseThrow())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(requests))
                .build();
    }

    /** Sends from 40 threads at once; the outcome of each message (null when sent) in order. */
    private static List<Throwable> sendAtOnce(
            SqsQueueSender sender, SqsTarget target, int messages, java.util.function.IntFunction<String> body)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String text = body.apply(i);
                sends.add(callers.submit(() -> sender.send(target, text)));
            }
            List<Throwable> outcomes = new ArrayList<>();
            for (Future<?> send : sends) {
                try {
                    send.get(60, java.util.concurrent.TimeUnit.SECONDS); // a message nobody sends fails, not hangs
                    outcomes.add(null);
                } catch (java.util.concurrent.ExecutionException failed) {
                    outcomes.add(failed.getCause());
                }
            }
            return outcomes;
        } finally {
            callers.shutdownNow();
        }
    }

    /** Every message in the queue by body, with how many copies arrived; reads until {@code expected} or quiet. */
    private static Map<String, Integer> drain(SqsClient sqs, String url, int expected) {
        Map<String, Integer> bodies = new HashMap<>();
        int quiet = 0;
        while (quiet < 3) {
            List<Message> batch = sqs.receiveMessage(r ->
                            r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(bodies.size() >= expected ? 0 : 1))
                    .messages();
            if (batch.isEmpty()) {
                quiet++;
            }
            for (Message message : batch) {
                bodies.merge(message.body(), 1, Integer::sum);
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }
}
