package dev.iotdr.dataplane.rules;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.SqsAction;
import software.amazon.awssdk.services.iot.model.TopicRule;
import software.amazon.awssdk.services.iot.model.TopicRulePayload;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Ensures, idempotently, the fleet's topic rules in a region and the queues they feed: telemetry to
 * {@value #TELEMETRY_QUEUE}, lifecycle (presence) events to {@value #PRESENCE_QUEUE}, each with a dead-letter
 * queue that is both the queue's redrive target and the rule's error action.
 */
public final class FleetRules {
    public static final String TELEMETRY_QUEUE = dev.iotdr.shared.contract.FleetQueues.TELEMETRY;
    public static final String TELEMETRY_DLQ = dev.iotdr.shared.contract.FleetQueues.TELEMETRY_DEAD_LETTERS;
    public static final String PRESENCE_QUEUE = dev.iotdr.shared.contract.FleetQueues.PRESENCE;
    public static final String PRESENCE_DLQ = dev.iotdr.shared.contract.FleetQueues.PRESENCE_DEAD_LETTERS;
    public static final String TELEMETRY_RULE = "iotdr_telemetry";
    public static final String PRESENCE_RULE = "iotdr_presence";
    public static final String TELEMETRY_SQL = "SELECT *, topic(3) AS thingName, clientid() AS clientId,"
            + " timestamp() AS receivedAt FROM 'dt/fleet/+/telemetry'";
    public static final String PRESENCE_SQL = "SELECT * FROM '$aws/events/presence/+/+'";
    /** Receives before SQS moves a message to the dead-letter queue. */
    static final int MAX_RECEIVE_COUNT = dev.iotdr.shared.contract.FleetQueues.REDRIVE_AFTER_RECEIVES;

    private static final Logger log = LoggerFactory.getLogger(FleetRules.class);

    /** The queue URLs in the region, as its SQS answers them. */
    public record FleetQueues(String telemetry, String telemetryDlq, String presence, String presenceDlq) {}

    private final IotClient iot;
    private final SqsClient sqs;

    public FleetRules(IotClient iot, SqsClient sqs) {
        this.iot = Objects.requireNonNull(iot, "iot");
        this.sqs = Objects.requireNonNull(sqs, "sqs");
    }

    /** Creates what is missing and corrects a rule whose query or queues differ; safe to call at every start. */
    public FleetQueues ensure() {
        String telemetryDlq = queue(TELEMETRY_DLQ);
        String telemetry = queueWithDeadLetters(TELEMETRY_QUEUE, telemetryDlq);
        String presenceDlq = queue(PRESENCE_DLQ);
        String presence = queueWithDeadLetters(PRESENCE_QUEUE, presenceDlq);
        String role = "arn:aws:iam::" + account(telemetryDlq) + ":role/iotdr-topic-rules";
        rule(TELEMETRY_RULE, TELEMETRY_SQL, telemetry, telemetryDlq, role);
        rule(PRESENCE_RULE, PRESENCE_SQL, presence, presenceDlq, role);
        return new FleetQueues(telemetry, telemetryDlq, presence, presenceDlq);
    }

    private String queue(String name) {
        // CreateQueue without attributes is idempotent; attributes are set separately so a re-run never
        // conflicts with what an earlier run (or an operator) set
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    private String queueWithDeadLetters(String name, String deadLetterUrl) {
        String url = queue(name);
        String redrive = "{\"deadLetterTargetArn\":\"" + arn(deadLetterUrl) + "\",\"maxReceiveCount\":\""
                + MAX_RECEIVE_COUNT + "\"}";
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)));
        return url;
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private String account(String queueUrl) {
        String[] parts = arn(queueUrl).split(":");
        return parts.length > 4 ? parts[4] : "000000000000";
    }

    private void rule(String name, String sql, String queueUrl, String deadLetterUrl, String role) {
        TopicRulePayload desired = TopicRulePayload.builder()
                .sql(sql)
                .awsIotSqlVersion("2016-03-23")
                .description("iotdr fleet rule, ensured at startup")
                .ruleDisabled(false)
                .actions(sqsAction(queueUrl, role))
                .errorAction(sqsAction(deadLetterUrl, role))
                .build();
        TopicRule existing;
        try {
            existing = iot.getTopicRule(r -> r.ruleName(name)).rule();
        } catch (ResourceNotFoundException absent) {
            try {
                iot.createTopicRule(r -> r.ruleName(name).topicRulePayload(desired));
                log.info("created topic rule {}: {}", name, sql);
            } catch (ResourceAlreadyExistsException createdMeanwhile) {
                // another instance created it
            }
            return;
        }
        if (!sameAs(existing, sql, queueUrl, deadLetterUrl)) {
            // keep an operator's disabling: only the query and the queues are ours to correct
            TopicRulePayload corrected =
                    desired.toBuilder().ruleDisabled(existing.ruleDisabled()).build();
            iot.replaceTopicRule(r -> r.ruleName(name).topicRulePayload(corrected));
            log.warn("replaced topic rule {} (its query or queues differed) with: {}", name, sql);
        }
        if (Boolean.TRUE.equals(existing.ruleDisabled())) {
            log.warn("topic rule {} is disabled: its messages are not delivered until it is enabled", name);
        }
    }

    /** Compares queues by name: a stored URL may name another host of the same region. */
    private static boolean sameAs(TopicRule existing, String sql, String queueUrl, String deadLetterUrl) {
        List<Action> actions = existing.actions();
        return sql.equals(existing.sql())
                && actions.size() == 1
                && actions.get(0).sqs() != null
                && name(actions.get(0).sqs().queueUrl()).equals(name(queueUrl))
                && existing.errorAction() != null
                && existing.errorAction().sqs() != null
                && name(existing.errorAction().sqs().queueUrl()).equals(name(deadLetterUrl));
    }

    private static String name(String url) {
        return url == null || url.isBlank() ? "" : new SqsTarget(url, false).queueName();
    }

    private static Action sqsAction(String queueUrl, String role) {
        return Action.builder()
                .sqs(SqsAction.builder()
                        .queueUrl(queueUrl)
                        .roleArn(role)
                        .useBase64(false)
                        .build())
                .build();
    }
}
