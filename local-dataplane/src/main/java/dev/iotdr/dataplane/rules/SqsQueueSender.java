package dev.iotdr.dataplane.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * otherwise it waits a moment for another caller's batch to carry it, and looks for a free slot again. A message
 * SQS refuses for its own fault (not the sender's) is sent again alone, with the SDK's retries. Idle, each message goes alone at once; under load
 * (a reconnecting fleet flushing its buffers) one request carries up to ten, which keeps the region's SQS free
 * for everything else the region must do meanwhile (a connect storm's registry reads share the emulator). The
 * SDK's own batching client was not used: it holds each message for a linger time and reports per-message
 * results through futures only from its asynchronous client.
 */
final class SqsQueueSender implements QueueSender {
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int BATCHES_IN_FLIGHT = 4;
    /** How long a caller whose message is queued behind busy slots waits before it looks for a free slot again. */
    static final long DRIVE_AGAIN_AFTER_MILLIS = 20;

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
        while (true) {
            lane.drive(pending);
            try {
                pending.outcome().get(DRIVE_AGAIN_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillQueued) {
                // every slot was taken when it was queued: look again (a slot may have come free meanwhile)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueSendException(
                        "interrupted while sending to SQS queue " + target.queueName() + "; treated as not sent",
                        false,
                        e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof QueueSendException failed) {
                    throw new QueueSendException(failed.getMessage(), failed.throttled(), failed);
                }
                throw new QueueSendException(
                        "Failed to send message to SQS queue " + target.queueName(), false, e.getCause());
            }
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
         * Sends batches while {@code own} waits, messages are queued and a batch may start; leaves as soon as its own
         * message is answered (a caller never stays on to send everybody else's). A caller that finds every slot
         * taken leaves its message queued and looks again shortly ({@link #DRIVE_AGAIN_AFTER_MILLIS}); a holder
         * sends whatever is queued, so a message waits at most for a slot.
         */
        void drive(Pending own) {
            while (!own.outcome().isDone() && !queued.isEmpty() && inFlight.tryAcquire()) {
                List<Pending> batch = List.of();
                try {
                    batch = nextBatch();
                    if (!batch.isEmpty()) {
                        sendBatch(batch);
                    }
                } catch (RuntimeException | Error unexpected) {
                    failAll(batch, failure(new IllegalStateException(unexpected))); // nobody waits on a lost batch
                    if (unexpected instanceof Error error) {
                        throw error;
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
                Pending pending = entry(batch, failed.id());
                if (!Boolean.TRUE.equals(failed.senderFault())) {
                    // SQS's fault (an internal error, unavailable): sent again alone, with the SDK's retries
                    sendAlone(pending);
                    continue;
                }
                String code = failed.code() == null ? "" : failed.code();
                pending.outcome()
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
