package dev.iotdr.dataplane.rules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Sends through the region's SQS. The queue is found by name (GetQueueUrl, cached): a stored rule's URL may name
 * another host or port than this region's emulator.
 */
final class SqsQueueSender implements QueueSender {
    private final SqsClient sqs;
    private final Map<String, String> urlsByName = new ConcurrentHashMap<>();

    SqsQueueSender(SqsClient sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(SqsTarget target, String body) {
        String name = target.queueName();
        try {
            String url = urlsByName.computeIfAbsent(
                    name, n -> sqs.getQueueUrl(r -> r.queueName(n)).queueUrl());
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        } catch (QueueDoesNotExistException e) {
            urlsByName.remove(name);
            throw new QueueSendException("SQS queue " + name + " does not exist: " + e.getMessage(), false, e);
        } catch (SdkException e) {
            throw new QueueSendException(
                    "Failed to send message to SQS queue " + name + ": " + e.getMessage(),
                    e instanceof AwsServiceException service && service.isThrottlingException(),
                    e);
        }
    }
}
