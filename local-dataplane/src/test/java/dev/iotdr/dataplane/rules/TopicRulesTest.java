package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.model.Action;
import software.amazon.awssdk.services.iot.model.LambdaAction;
import software.amazon.awssdk.services.iot.model.SqsAction;
import software.amazon.awssdk.services.iot.model.TopicRule;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loading and executing rules against an in-memory registry and queues (the ports, not the AWS SDK). */
class TopicRulesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/q";
    private static final String DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/q-dlq";

    private final Queues queues = new Queues();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private Supplier<List<RuleDefinitions.Stored>> registry = List::of;
    private final TopicRules rules = new TopicRules(
            () -> registry.get(),
            queues,
            new TopicRulesSettings(Duration.ofSeconds(2), 2, 100, 3, Duration.ofMillis(100), Duration.ofSeconds(10)),
            pauses::add);

    @AfterEach
    void close() {
        rules.close();
    }

    @Test
    void aMatchingRuleDeliversItsSelectOutputToItsQueue() {
        registry = () -> List.of(stored("r", rule("SELECT *, topic(2) AS thing FROM 'a/+'", sqs(QUEUE), sqs(DLQ))));
        assertThat(rules.refresh()).isTrue();

        rules.onMessage("a/t1", bytes("{\"v\":1}"), "t1", "cert", 5).join();
        rules.onMessage("b/t1", bytes("{\"v\":2}"), "t1", "cert", 5).join();

        assertThat(queues.bodies("q")).singleElement().satisfies(body -> {
            JsonNode json = JSON.readTree(body);
            assertThat(json.get("v").intValue()).isEqualTo(1);
            assertThat(json.get("thing").stringValue()).isEqualTo("t1");
        });
        assertThat(rules.counts()).isEqualTo(new RuleExecutionCounts(1, 0, 0));
    }

    @Test
    void useBase64SendsTheOutputBase64Encoded() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a'", sqs(QUEUE, true), null)));
        rules.refresh();
        rules.onMessage("a", new byte[] {1, 2, (byte) 0xff}, "c", null, 0).join();
        assertThat(Base64.getDecoder().decode(queues.bodies("q").get(0))).containsExactly(1, 2, 0xff);
    }

    @Test
    void aFailedActionGoesToTheErrorActionInAwsShape() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a/+'", sqs(QUEUE), sqs(DLQ))));
        rules.refresh();
        queues.failing.put("q", false);

        rules.onMessage("a/x", bytes("{\"messageId\":\"m-1\"}"), "client-9", null, 0)
                .join();

        JsonNode error = JSON.readTree(queues.bodies("q-dlq").get(0));
        assertThat(error.get("ruleName").stringValue()).isEqualTo("r");
        assertThat(error.get("topic").stringValue()).isEqualTo("a/x");
        assertThat(error.get("clientId").stringValue()).isEqualTo("client-9");
        assertThat(error.get("cloudwatchTraceId").stringValue()).isNotBlank();
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(error.get("base64OriginalPayload").stringValue()),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"messageId\":\"m-1\"}");
        JsonNode failure = error.get("failures").get(0);
        assertThat(failure.get("failedAction").stringValue()).isEqualTo("SqsAction");
        assertThat(failure.get("failedResource").stringValue()).isEqualTo(QUEUE);
        assertThat(failure.get("errorMessage").stringValue()).contains("refused by the test");
        assertThat(rules.counts()).isEqualTo(new RuleExecutionCounts(0, 1, 0));
    }

    @Test
    void whenTheErrorActionFailsTooTheMessageIsCountedLost() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a'", sqs(QUEUE), sqs(DLQ))));
        rules.refresh();
        queues.failing.put("q", false);
        queues.failing.put("q-dlq", false);

        rules.onMessage("a", bytes("{}"), "c", null, 0).join();

        assertThat(rules.counts()).isEqualTo(new RuleExecutionCounts(0, 0, 1));
    }

    @Test
    void aNonJsonPayloadTheSqlCannotExtendGoesToTheErrorAction() {
        registry = () -> List.of(stored("r", rule("SELECT *, topic() AS t FROM 'a'", sqs(QUEUE), sqs(DLQ))));
        rules.refresh();
        rules.onMessage("a", bytes("plain text"), "c", null, 0).join();
        assertThat(queues.bodies("q")).isEmpty();
        assertThat(JSON.readTree(queues.bodies("q-dlq").get(0))
                        .get("failures")
                        .get(0)
                        .get("failedAction")
                        .stringValue())
                .isEqualTo("SqlEvaluation");
    }

    @Test
    void aThrottledSendIsRetriedWithDoublingBackoffBeforeFailing() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a'", sqs(QUEUE), sqs(DLQ))));
        rules.refresh();
        queues.throttleNext.set(2);

        rules.onMessage("a", bytes("{}"), "c", null, 0).join();

        assertThat(queues.bodies("q")).hasSize(1);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));

        queues.throttleNext.set(10);
        rules.onMessage("a", bytes("{}"), "c", null, 0).join();
        assertThat(queues.bodies("q-dlq"))
                .as("after 3 retries the action has failed")
                .hasSize(1);
        assertThat(pauses.subList(2, pauses.size()))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(rules.counts()).isEqualTo(new RuleExecutionCounts(1, 1, 0));
    }

    @Test
    void unsupportedRulesAreListedWithTheReasonAndDisabledRulesSkipped() {
        TopicRule lambda = TopicRule.builder()
                .sql("SELECT * FROM 'a'")
                .actions(Action.builder()
                        .lambda(LambdaAction.builder()
                                .functionArn("arn:aws:lambda:x")
                                .build())
                        .build())
                .ruleDisabled(false)
                .build();
        TopicRule disabled = rule("SELECT * FROM 'a'", sqs(QUEUE), null).toBuilder()
                .ruleDisabled(true)
                .build();
        registry = () -> List.of(
                stored("bad_sql", rule("SELECT upper(x) AS y FROM 'a'", sqs(QUEUE), null)),
                stored("lambda", lambda),
                stored("off", disabled),
                stored("ok", rule("SELECT * FROM 'a'", sqs(QUEUE), null)));

        rules.refresh();

        assertThat(rules.ruleNames()).containsExactly("ok");
        assertThat(rules.unsupported()).extracting(UnsupportedRule::ruleName).containsExactly("bad_sql", "lambda");
        assertThat(rules.unsupported().get(0).reason()).contains("upper()");
        assertThat(rules.unsupported().get(1).reason()).contains("lambda");
    }

    @Test
    void theLastGoodRulesStayWhenTheRegistryCannotBeRead() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a'", sqs(QUEUE), null)));
        assertThat(rules.refresh()).isTrue();
        registry = () -> {
            throw new IllegalStateException("region down");
        };

        assertThat(rules.refresh()).isFalse();
        rules.onMessage("a", bytes("{}"), "c", null, 0).join();

        assertThat(rules.ruleNames()).containsExactly("r");
        assertThat(queues.bodies("q")).hasSize(1);
    }

    @Test
    void closeDrainsQueuedExecutions() {
        registry = () -> List.of(stored("r", rule("SELECT * FROM 'a'", sqs(QUEUE), null)));
        rules.refresh();
        for (int i = 0; i < 50; i++) {
            rules.onMessage("a", bytes("{\"i\":" + i + "}"), "c", null, 0);
        }
        rules.close();
        assertThat(queues.bodies("q")).hasSize(50);
    }

    private static RuleDefinitions.Stored stored(String name, TopicRule rule) {
        return new RuleDefinitions.Stored(name, rule);
    }

    private static TopicRule rule(String sql, Action action, Action errorAction) {
        return TopicRule.builder()
                .sql(sql)
                .actions(action)
                .errorAction(errorAction)
                .ruleDisabled(false)
                .build();
    }

    private static Action sqs(String url) {
        return sqs(url, false);
    }

    private static Action sqs(String url, boolean base64) {
        return Action.builder()
                .sqs(SqsAction.builder()
                        .queueUrl(url)
                        .roleArn("arn:aws:iam::123456789012:role/r")
                        .useBase64(base64)
                        .build())
                .build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Queues in memory: records bodies by queue name; can refuse a queue or throttle the next sends. */
    private static final class Queues implements QueueSender {
        final Map<String, List<String>> sent = new ConcurrentHashMap<>();
        final Map<String, Boolean> failing = new ConcurrentHashMap<>();
        final AtomicInteger throttleNext = new AtomicInteger();

        @Override
        public void send(SqsTarget target, String body) {
            if (failing.containsKey(target.queueName())) {
                throw new QueueSendException("refused by the test", false, null);
            }
            if (target.queueName().equals("q") && throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new QueueSendException("throttled by the test", true, null);
            }
            sent.computeIfAbsent(target.queueName(), n -> Collections.synchronizedList(new ArrayList<>()))
                    .add(body);
        }

        List<String> bodies(String queue) {
            return List.copyOf(sent.getOrDefault(queue, List.of()));
        }
    }
}
