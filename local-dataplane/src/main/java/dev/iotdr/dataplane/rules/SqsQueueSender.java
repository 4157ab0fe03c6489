package dev.iotdr.dataplane.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends through the region's SQS. The queue is found by name (GetQueueUrl, cached): a stored rule's URL may name
 * another host or port than this region's emulator.
 *
 * <p>Sends to one queue are grouped (SendMessageBatch, at most {@value #MAX_ENTRIES} messages and
 * {@value #MAX_BATCH_BYTES} bytes): each caller still learns its own message's outcome, as a rule action's
 * SendMessage would tell it, and nothing waits for a batch to fill. A caller queues its message and, when fewer
 * than {@value #BATCHES_IN_FLIGHT} batches to that queue are in flight, sends a batch of whatever is queued;
 * otherwise it waits while another caller's batch carries it. Idle, each message goes alone at once; under load
 * (a reconnecting fleet flushing its buffers) one request carries up to ten, which keeps the region's SQS free
 * for everything else the region must do meanwhile (a connect storm's registry reads share the emulator). The
 * SDK's own batching client was not used: it holds each message for a linger time and reports per-message
 * results through futures only from its asynchronous client.
 */
final class SqsQueueSender implements QueueSender {
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int BATCHES_IN_FLIGHT = 4;

    private final SqsClient sqs;
    private final Map<String, String> urlsByName = new ConcurrentHashMap<>();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    SqsQueueSender(SqsClient sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(SqsTarget target, String body) {
        Pending pending = new Pending(body, new CompletableFuture<>());
        Lane lane = lanes.computeIfAbsent(target.queueName(), Lane::new);
        lane.queued.add(pending);
        lane.drive();
        try {
            pending.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof QueueSendException failed) {
                throw new QueueSendException(failed.getMessage(), failed.throttled(), failed);
            }
            throw new QueueSendException("Failed to send message to SQS queue " + target.queueName(), false, e);
        }
    }

    private record Pending(String body, CompletableFuture<Void> outcome) {
        int bytes() {
            return body.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The messages waiting for one queue, and the batches in flight to it. */
    private final class Lane {
        private final String queueName;
        private final Queue<Pending> queued = new ConcurrentLinkedQueue<>();
        private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);

        Lane(String queueName) {
            this.queueName = queueName;
        }

        /**
         * Sends batches while messages wait and a batch may start. A caller that finds every slot taken leaves its
         * message queued: the holder of a slot looks at the queue again after releasing it, and the caller's add came
         * before the holder's release (the caller saw the slot taken), so no message is left with nobody to send it.
         */
        void drive() {
            while (!queued.isEmpty() && inFlight.tryAcquire()) {
                try {
                    List<Pending> batch = nextBatch();
                    while (!batch.isEmpty()) {
                        try {
                            sendBatch(batch);
                        } catch (RuntimeException unexpected) {
                            failAll(batch, failure(unexpected)); // nobody is left waiting on a batch
                        }
                        batch = nextBatch();
                    }
                } finally {
                    inFlight.release();
                }
            }
        }

        /** The next batch, taken from the queue under the lane's lock so that two senders never split a message. */
        private synchronized List<Pending> nextBatch() {
            List<Pending> batch = new ArrayList<>(MAX_ENTRIES);
            int bytes = 0;
            while (batch.size() < MAX_ENTRIES) {
                Pending next = queued.peek();
                if (next == null) {
                    break;
                }
                int size = next.bytes();
                if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                    break; // a message too large even alone still goes alone, and SQS says why it is refused
                }
                batch.add(queued.poll());
                bytes += size;
            }
            return batch;
        }

        private void sendBatch(List<Pending> batch) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(batch.get(i).body())
                        .build());
            }
            SendMessageBatchResponse response;
            try {
                String url = url();
                response = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
            } catch (AwsServiceException refused) {
                if (batch.size() > 1
                        && refused.statusCode() == 400
                        && !refused.isThrottlingException()
                        && !(refused instanceof QueueDoesNotExistException)) {
                    // The request as a whole was refused for what one message holds (SQS answers per message, but
                    // an emulator may refuse the batch): each message is sent alone, so each gets its own verdict.
                    batch.forEach(this::sendAlone);
                } else {
                    failAll(batch, failure(refused));
                }
                return;
            } catch (RuntimeException e) {
                failAll(batch, failure(e));
                return;
            }
            response.successful()
                    .forEach(done -> entry(batch, done.id()).outcome().complete(null));
            for (BatchResultErrorEntry failed : response.failed()) {
                String code = failed.code() == null ? "" : failed.code();
                entry(batch, failed.id())
                        .outcome()
                        .completeExceptionally(new QueueSendException(
                                "Failed to send message to SQS queue " + queueName + ": " + code + ": "
                                        + failed.message(),
                                code.contains("Throttl"),
                                null));
            }
            // an entry SQS answered neither way (it never does) is not left waiting
            failAll(
                    batch,
                    new QueueSendException(
                            "SQS answered nothing for a message sent to " + queueName + "; treated as not sent",
                            false,
                            null));
        }

        private void sendAlone(Pending pending) {
            try {
                String url = url();
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(pending.body()));
                pending.outcome().complete(null);
            } catch (RuntimeException e) {
                pending.outcome().completeExceptionally(failure(e));
            }
        }

        private String url() {
            return urlsByName.computeIfAbsent(
                    queueName, n -> sqs.getQueueUrl(r -> r.queueName(n)).queueUrl());
        }

        private QueueSendException failure(RuntimeException e) {
            if (e instanceof QueueDoesNotExistException) {
                urlsByName.remove(queueName);
                return new QueueSendException(
                        "SQS queue " + queueName + " does not exist: " + e.getMessage(), false, e);
            }
            if (e instanceof SdkException) {
                return new QueueSendException(
                        "Failed to send message to SQS queue " + queueName + ": " + e.getMessage(),
                        e instanceof AwsServiceException service && service.isThrottlingException(),
                        e);
            }
            return new QueueSendException("Failed to send message to SQS queue " + queueName, false, e);
        }

        private static Pending entry(List<Pending> batch, String id) {
            return batch.get(Integer.parseInt(id));
        }

        private static void failAll(List<Pending> batch, QueueSendException failure) {
            batch.forEach(pending -> pending.outcome().completeExceptionally(failure));
        }
    }
}
