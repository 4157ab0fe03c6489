package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.LambdaAction;
import software.amazon.awssdk.services.iot.model.SqsAction;
import software.amazon.awssdk.services.iot.model.TopicRulePayload;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fleet rules and the rules engine against a region's real emulator (moto's IoT registry and SQS). */
@ExtendWith(LocalCloudExtension.class)
class TopicRulesIntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void ensuringTheFleetRulesTwiceCreatesThemOnce(LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        IotClient iot = clients.iot(region);
        SqsClient sqs = clients.sqs(region);

        FleetRules.FleetQueues first = new FleetRules(iot, sqs).ensure();
        FleetRules.FleetQueues second = new FleetRules(iot, sqs).ensure();

        assertThat(second).isEqualTo(first);
        assertThat(iot.listTopicRules(r -> {}).rules())
                .filteredOn(rule -> rule.ruleName().startsWith("iotdr_"))
                .extracting(rule -> rule.ruleName())
                .containsExactlyInAnyOrder(FleetRules.TELEMETRY_RULE, FleetRules.PRESENCE_RULE);
        assertThat(iot.getTopicRule(r -> r.ruleName(FleetRules.TELEMETRY_RULE))
                        .rule()
                        .sql())
                .isEqualTo(FleetRules.TELEMETRY_SQL);
        String redrive = sqs.getQueueAttributes(
                        r -> r.queueUrl(first.telemetry()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes()
                .get(QueueAttributeName.REDRIVE_POLICY);
        assertThat(redrive).contains(FleetRules.TELEMETRY_DLQ);
    }

    @Test
    void aTelemetryMessageReachesTheTelemetryQueueWithThingClientAndReceiveTimeAdded(
            LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        SqsClient sqs = clients.sqs(region);
        FleetRules.FleetQueues queues = new FleetRules(clients.iot(region), sqs).ensure();
        String messageId = "m-" + UUID.randomUUID();

        try (TopicRules rules = TopicRules.start(clients.iot(region), sqs)) {
            assertThat(rules.ruleNames()).contains(FleetRules.TELEMETRY_RULE, FleetRules.PRESENCE_RULE);
            rules.onMessage(
                            "dt/fleet/thing-7/telemetry",
                            ("{\"messageId\":\"" + messageId + "\",\"seq\":4,\"ts\":1000,\"metrics\":{\"temp\":20.5}}")
                                    .getBytes(StandardCharsets.UTF_8),
                            "thing-7",
                            "cert-7",
                            1_700_000_000_999L)
                    .join();
            assertThat(rules.counts().delivered()).isEqualTo(1);
        }

        JsonNode body =
                JSON.readTree(receive(sqs, queues.telemetry(), messageId).body());
        assertThat(body.get("seq").intValue()).isEqualTo(4);
        assertThat(body.get("ts").longValue()).isEqualTo(1000);
        assertThat(body.get("metrics").get("temp").doubleValue()).isEqualTo(20.5);
        assertThat(body.get("thingName").stringValue()).isEqualTo("thing-7");
        assertThat(body.get("clientId").stringValue()).isEqualTo("thing-7");
        assertThat(body.get("receivedAt").longValue()).isEqualTo(1_700_000_000_999L);
    }

    @Test
    void rulesWithUnsupportedSqlOrANonSqsActionAreListedAsUnsupported(LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        IotClient iot = clients.iot(region);
        String suffix = UUID.randomUUID().toString().replace("-", "");
        String badSql = "itest_bad_sql_" + suffix;
        String lambda = "itest_lambda_" + suffix;
        iot.createTopicRule(r -> r.ruleName(badSql)
                .topicRulePayload(payload("SELECT upper(x) AS y FROM 'itest/x'", sqs("https://sqs/1/q"), null)));
        iot.createTopicRule(r -> r.ruleName(lambda)
                .topicRulePayload(payload(
                        "SELECT * FROM 'itest/x'",
                        Action.builder()
                                .lambda(LambdaAction.builder()
                                        .functionArn("arn:aws:lambda:us-east-1:123456789012:function:f")
                                        .build())
                                .build(),
                        null)));
        try (TopicRules rules = TopicRules.start(iot, clients.sqs(region))) {
            assertThat(rules.unsupported())
                    .filteredOn(rule -> rule.ruleName().endsWith(suffix))
                    .extracting(UnsupportedRule::ruleName)
                    .containsExactlyInAnyOrder(badSql, lambda);
            assertThat(rules.ruleNames()).doesNotContain(badSql, lambda);
        } finally {
            iot.deleteTopicRule(r -> r.ruleName(badSql));
            iot.deleteTopicRule(r -> r.ruleName(lambda));
        }
    }

    @Test
    void anActionWhoseQueueDoesNotExistGoesToTheErrorActionsQueueInAwsShape(
            LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        IotClient iot = clients.iot(region);
        SqsClient sqs = clients.sqs(region);
        String suffix = UUID.randomUUID().toString().replace("-", "");
        String ruleName = "itest_missing_" + suffix;
        String errors =
                sqs.createQueue(r -> r.queueName("itest-errors-" + suffix)).queueUrl();
        String missing = "https://sqs." + region.code() + ".amazonaws.com/123456789012/itest-absent-" + suffix;
        iot.createTopicRule(r -> r.ruleName(ruleName)
                .topicRulePayload(payload("SELECT * FROM 'itest/" + suffix + "/+'", sqs(missing), sqs(errors))));
        String payload = "{\"messageId\":\"" + suffix + "\"}";
        try (TopicRules rules = TopicRules.start(iot, sqs)) {
            rules.onMessage("itest/" + suffix + "/a", payload.getBytes(StandardCharsets.UTF_8), "dev-1", null, 1)
                    .join();
            assertThat(rules.counts().toErrorAction()).isEqualTo(1);
        } finally {
            iot.deleteTopicRule(r -> r.ruleName(ruleName));
        }

        JsonNode error = JSON.readTree(receive(sqs, errors, ruleName).body());
        assertThat(error.get("ruleName").stringValue()).isEqualTo(ruleName);
        assertThat(error.get("topic").stringValue()).isEqualTo("itest/" + suffix + "/a");
        assertThat(error.get("clientId").stringValue()).isEqualTo("dev-1");
        assertThat(error.get("cloudwatchTraceId").stringValue()).isNotBlank();
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(error.get("base64OriginalPayload").stringValue()),
                        StandardCharsets.UTF_8))
                .isEqualTo(payload);
        JsonNode failure = error.get("failures").get(0);
        assertThat(failure.get("failedAction").stringValue()).isEqualTo("SqsAction");
        assertThat(failure.get("failedResource").stringValue()).isEqualTo(missing);
        assertThat(failure.get("errorMessage").stringValue()).contains("itest-absent-" + suffix);
    }

    private static TopicRulePayload payload(String sql, Action action, Action errorAction) {
        return TopicRulePayload.builder()
                .sql(sql)
                .actions(action)
                .errorAction(errorAction)
                .ruleDisabled(false)
                .build();
    }

    private static Action sqs(String url) {
        return Action.builder()
                .sqs(SqsAction.builder()
                        .queueUrl(url)
                        .roleArn("arn:aws:iam::123456789012:role/itest")
                        .build())
                .build();
    }

    /** The queue's message whose body contains the marker, waiting a little for it (SQS long polling). */
    private static Message receive(SqsClient sqs, String queueUrl, String marker) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<Message> found = sqs
                    .receiveMessage(
                            r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()
                    .stream()
                    .filter(m -> m.body().contains(marker))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no message containing " + marker + " arrived in " + queueUrl);
    }
}
