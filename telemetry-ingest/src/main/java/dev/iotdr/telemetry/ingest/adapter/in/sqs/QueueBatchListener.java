package dev.iotdr.telemetry.ingest.adapter.in.sqs;

import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueMessage;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry.QueueOutcome;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.acknowledgement.Acknowledgement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.springframework.messaging.Message;

/**
 * The batch listener of the service's queues (Spring Cloud AWS, manual acknowledgement), the telemetry queue's and
 * the presence queue's: a message is acknowledged (deleted) only once its use case says it is done with it (stored,
 * found already stored, applied, or parked in the dead-letter queue with its reason); any other stays and is
 * delivered again after a growing visibility timeout.
 */
public final class QueueBatchListener implements MessageListener<String> {
    private final Function<List<QueueMessage>, List<QueueOutcome>> useCase;

    /** @param useCase takes a batch and answers an outcome per message, in the messages' order */
    public QueueBatchListener(Function<List<QueueMessage>, List<QueueOutcome>> useCase) {
        this.useCase = useCase;
    }

    @Override
    public void onMessage(Message<String> message) {
        onMessage(List.of(message));
    }

    @Override
    public void onMessage(Collection<Message<String>> messages) {
        List<Message<String>> batch = List.copyOf(messages);
        List<QueueMessage> received = batch.stream()
                .map(m -> new QueueMessage(m.getPayload(), receives(m)))
                .toList();
        List<QueueOutcome> outcomes = useCase.apply(received);
        List<Message<String>> done = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i).done()) {
                done.add(batch.get(i));
            }
        }
        if (!done.isEmpty()) {
            Acknowledgement.acknowledge(done);
        }
        for (int i = 0; i < batch.size(); i++) {
            if (!outcomes.get(i).done()) {
                backOff(batch.get(i));
            }
        }
    }

    /**
     * A message left in the queue comes back after 15 s, then 30 s, 1 min, ... up to 15 min: a dependency's outage
     * is waited out without receiving the same messages in a tight loop (about an hour before the queue's redrive).
     */
    private static void backOff(Message<String> message) {
        Object visibility = message.getHeaders().get(SqsHeaders.SQS_VISIBILITY_TIMEOUT_HEADER);
        if (visibility instanceof Visibility timeout) {
            int seconds = (int) Math.min(900, 15L << Math.min(receives(message) - 1, 10));
            timeout.changeToAsync(seconds); // best effort: without it the queue's own timeout applies
        }
    }

    private static int receives(Message<String> message) {
        Object count = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT);
        if (count == null) {
            return 1;
        }
        try {
            return Integer.parseInt(count.toString());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
