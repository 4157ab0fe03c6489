package dev.iotdr.telemetry.config;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.contract.FleetQueues;
import dev.iotdr.telemetry.ingest.adapter.out.sqs.SqsDeadLetters;
import io.awspring.cloud.sqs.listener.ListenerMode;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The service's queues, as the data plane's topic rules ensure them (a queue with a redrive to its dead-letter
 * queue after {@link FleetQueues#REDRIVE_AFTER_RECEIVES} receives), and the one way they are consumed.
 */
public final class SqsQueues {

    private SqsQueues() {}

    /** Ensures (idempotently) {@code queue} with its redrive to {@code deadLetterQueue}. */
    public static RegionResources.Resource queueWithDeadLetters(
            SqsClient sqs, GuardedAwsCalls calls, String queue, String deadLetterQueue) {
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "SQS queues " + queue + " and " + deadLetterQueue;
            }

            @Override
            public void ensure() {
                String deadLetters = calls.call(
                                AwsApi.SQS_CREATE_QUEUE, () -> sqs.createQueue(r -> r.queueName(deadLetterQueue)))
                        .queueUrl();
                String arn = calls.call(
                                AwsApi.SQS_GET_QUEUE_ATTRIBUTES,
                                () -> sqs.getQueueAttributes(
                                        r -> r.queueUrl(deadLetters).attributeNames(QueueAttributeName.QUEUE_ARN)))
                        .attributes()
                        .get(QueueAttributeName.QUEUE_ARN);
                String url = calls.call(AwsApi.SQS_CREATE_QUEUE, () -> sqs.createQueue(r -> r.queueName(queue)))
                        .queueUrl();
                String redrive = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\""
                        + FleetQueues.REDRIVE_AFTER_RECEIVES + "\"}";
                calls.run(
                        AwsApi.SQS_SET_QUEUE_ATTRIBUTES,
                        () -> sqs.setQueueAttributes(
                                r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))));
            }
        };
    }

    /**
     * Spring Cloud AWS's listener container for {@code queue}: batches of up to ten, long polls of 5 s, manual
     * acknowledgement (the listener deletes only what it is done with), the receive count asked for; not started
     * until its queue is ensured.
     */
    public static SqsMessageListenerContainer<String> consumer(
            SqsAsyncClient sqs, String queue, int maxConcurrentMessages, MessageListener<String> listener) {
        return SqsMessageListenerContainer.<String>builder()
                .id(queue + "-consumer")
                .sqsAsyncClient(sqs)
                .queueNames(queue)
                .messageListener(listener)
                .configure(options -> options.listenerMode(ListenerMode.BATCH)
                        .acknowledgementMode(AcknowledgementMode.MANUAL)
                        .maxMessagesPerPoll(10)
                        .maxConcurrentMessages(maxConcurrentMessages)
                        .pollTimeout(Duration.ofSeconds(5))
                        .messageSystemAttributeNames(List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .autoStartup(false))
                .build();
    }

    /** Parks messages of {@code deadLetterQueue}, looking its URL up when first needed. */
    public static SqsDeadLetters deadLetters(SqsClient sqs, GuardedAwsCalls calls, String deadLetterQueue) {
        return new SqsDeadLetters(sqs, calls, () -> calls.call(
                        AwsApi.SQS_GET_QUEUE_URL, () -> sqs.getQueueUrl(r -> r.queueName(deadLetterQueue)))
                .queueUrl());
    }
}
