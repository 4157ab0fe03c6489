package dev.iotdr.failover.decision.adapter.out.sqs;

import dev.iotdr.failover.decision.application.HealthSignal;
import dev.iotdr.failover.decision.application.HealthSignals;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Route 53 health-check state changes from this region's SQS queue: a second input beside our own probes.
 * Every message is deleted once read, signal or not, so nothing unreadable blocks the queue. A queue that
 * cannot be read yields no signals (the probes still decide).
 */
final class SqsHealthSignals implements HealthSignals {
    private static final Logger log = LoggerFactory.getLogger(SqsHealthSignals.class);

    private final SqsClient sqs;
    private final String queueName;
    private final Supplier<Map<String, Region>> healthCheckRegions;
    private final Clock clock;
    private volatile String queueUrl;

    SqsHealthSignals(SqsClient sqs, String queueName, Supplier<Map<String, Region>> healthCheckRegions, Clock clock) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.healthCheckRegions = healthCheckRegions;
        this.clock = clock;
    }

    @Override
    public List<HealthSignal> poll() {
        List<HealthSignal> signals = new ArrayList<>();
        try {
            String url = queueUrl();
            List<Message> messages = sqs.receiveMessage(
                            r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return signals;
            }
            Map<String, Region> regions = healthCheckRegions.get();
            for (Message message : messages) {
                HealthAlarmMessages.parse(message.body(), regions, clock.instant())
                        .ifPresent(signals::add);
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } catch (RuntimeException unavailable) {
            log.debug("health events queue unavailable: {}", unavailable.getMessage());
            queueUrl = null;
        }
        return signals;
    }

    private String queueUrl() {
        String known = queueUrl;
        if (known == null) {
            known = sqs.createQueue(r -> r.queueName(queueName)).queueUrl();
            queueUrl = known;
        }
        return known;
    }
}
