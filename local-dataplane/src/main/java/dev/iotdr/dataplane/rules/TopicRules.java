package dev.iotdr.dataplane.rules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules engine of one region's local data plane: keeps the region's topic rules loaded (re-read every
 * {@link TopicRulesSettings#refreshInterval()}, the last good set kept when the registry cannot be read) and runs
 * them on each message the broker accepts, delivering to SQS off the broker's thread.
 */
public final class TopicRules implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicRules.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Pauses between retries; a seam so that tests never wait on the wall clock. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private record Loaded(List<TopicRule> rules, List<UnsupportedRule> unsupported) {}

    private record Failure(String failedAction, String failedResource, String errorMessage) {}

    private final RuleDefinitions definitions;
    private final QueueSender sender;
    private final TopicRulesSettings settings;
    private final Pause pause;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService refresher;
    private final Set<UnsupportedRule> reported = new HashSet<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong toErrorAction = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile Loaded loaded = new Loaded(List.of(), List.of());
    private volatile boolean refreshFailing;
    private volatile boolean closed;

    TopicRules(RuleDefinitions definitions, QueueSender sender, TopicRulesSettings settings, Pause pause) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pause = Objects.requireNonNull(pause, "pause");
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                settings.workers(),
                settings.workers(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()),
                runnable -> daemon(runnable, "topic-rules-" + threads.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        this.refresher =
                Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "topic-rules-refresh"));
    }

    /** Loads the region's rules once (failing if the registry cannot be read) and keeps them refreshed. */
    public static TopicRules start(IotClient iot, SqsClient sqs) {
        return start(iot, sqs, TopicRulesSettings.DEFAULTS);
    }

    /** As {@link #start(IotClient, SqsClient)}, with explicit settings. */
    public static TopicRules start(IotClient iot, SqsClient sqs, TopicRulesSettings settings) {
        TopicRules rules =
                new TopicRules(new IotRuleDefinitions(iot), new SqsQueueSender(sqs), settings, Thread::sleep);
        rules.startRefreshing();
        return rules;
    }

    void startRefreshing() {
        // with no last good set, a registry we cannot read would silently drop every message: fail instead
        if (!refresh()) {
            close();
            throw new IllegalStateException("the region's topic rules could not be read; see the log");
        }
        long millis = settings.refreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Re-reads the rules now. Disabled rules are skipped; each rule that cannot be executed is logged at ERROR
     * (once while its reason stays the same) and listed by {@link #unsupported()}.
     *
     * @return false if the registry could not be read (the previous rules stay in force)
     */
    public boolean refresh() {
        List<RuleDefinitions.Stored> stored;
        try {
            stored = definitions.load();
        } catch (RuntimeException e) {
            if (!refreshFailing) {
                log.warn(
                        "topic rules could not be read; keeping the {} loaded ones",
                        loaded.rules().size(),
                        e);
            }
            refreshFailing = true;
            return false;
        }
        if (refreshFailing) {
            log.info("topic rules readable again");
            refreshFailing = false;
        }
        List<TopicRule> rules = new ArrayList<>();
        List<UnsupportedRule> unsupported = new ArrayList<>();
        for (RuleDefinitions.Stored rule : stored) {
            if (Boolean.TRUE.equals(rule.rule().ruleDisabled())) {
                continue;
            }
            try {
                rules.add(TopicRule.from(rule.name(), rule.rule()));
            } catch (UnsupportedRuleException e) {
                unsupported.add(new UnsupportedRule(rule.name(), e.getMessage()));
            }
        }
        synchronized (reported) {
            for (UnsupportedRule rule : unsupported) {
                if (reported.add(rule)) {
                    log.error(
                            "topic rule {} is NOT executed by the local data plane: {}",
                            rule.ruleName(),
                            rule.reason());
                }
            }
            reported.retainAll(unsupported);
        }
        loaded = new Loaded(List.copyOf(rules), List.copyOf(unsupported));
        return true;
    }

    /** The enabled rules that are not executed, and why. */
    public List<UnsupportedRule> unsupported() {
        return loaded.unsupported();
    }

    /** The names of the rules being executed. */
    public List<String> ruleNames() {
        return loaded.rules().stream().map(TopicRule::name).toList();
    }

    public RuleExecutionCounts counts() {
        return new RuleExecutionCounts(delivered.get(), toErrorAction.get(), lost.get());
    }

    /**
     * Runs every rule listening to the topic on a message the broker accepted (or a lifecycle event it
     * published). Returns at once; the returned future completes when every matching rule has delivered,
     * delivered to its error action, or logged the message as lost. It never completes exceptionally.
     *
     * @param clientId the publishing client's id, or null (as for events the broker publishes itself)
     * @param principal the publishing client's principal (certificate id), or null
     * @param receivedAtMillis when the broker received the message (what {@code timestamp()} returns)
     */
    public CompletableFuture<Void> onMessage(
            String topic, byte[] payload, String clientId, String principal, long receivedAtMillis) {
        if (closed) {
            throw new IllegalStateException("topic rules are closed; no message can be executed");
        }
        InboundMessage message = new InboundMessage(
                topic,
                payload.clone(),
                Optional.ofNullable(clientId),
                Optional.ofNullable(principal),
                receivedAtMillis);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (TopicRule rule : loaded.rules()) {
            if (!rule.sql().listensTo(topic)) {
                continue;
            }
            CompletableFuture<Void> run = new CompletableFuture<>();
            try {
                executor.execute(() -> {
                    try {
                        execute(rule, message);
                    } catch (RuntimeException unexpected) {
                        lose(rule, message, UUID.randomUUID().toString(), "unexpected failure: " + unexpected);
                    } finally {
                        run.complete(null);
                    }
                });
            } catch (RejectedExecutionException full) {
                lose(
                        rule,
                        message,
                        UUID.randomUUID().toString(),
                        "no room to run it (" + executor.getQueue().size() + " executions queued)");
                run.complete(null);
            }
            runs.add(run);
        }
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
    }

    private void execute(TopicRule rule, InboundMessage message) {
        String traceId = UUID.randomUUID().toString();
        Optional<RuleSql.Output> output;
        List<Failure> failures = new ArrayList<>();
        try {
            output = rule.sql().evaluate(message);
        } catch (RuleEvaluationException e) {
            output = Optional.empty();
            failures.add(new Failure("SqlEvaluation", rule.name(), e.getMessage()));
        }
        if (output.isPresent()) {
            for (SqsTarget action : rule.actions()) {
                try {
                    send(action, output.get().bytes());
                } catch (QueueSendException e) {
                    failures.add(new Failure(
                            "SqsAction",
                            action.queueUrl(),
                            e.getMessage() + ". Message arrived on: " + message.topic() + ", Action: sqs, QueueUrl: "
                                    + action.queueUrl()));
                }
            }
        }
        if (failures.isEmpty()) {
            if (output.isPresent()) {
                delivered.incrementAndGet();
            }
            return;
        }
        if (rule.errorAction().isEmpty()) {
            lose(rule, message, traceId, "its actions failed and it has no error action: " + failures);
            return;
        }
        SqsTarget errorAction = rule.errorAction().get();
        try {
            send(errorAction, errorMessage(rule, message, traceId, failures));
            toErrorAction.incrementAndGet();
            log.warn(
                    "topic rule {} failed for message {} (trace {}); sent to its error action {}: {}",
                    rule.name(),
                    messageId(message, traceId),
                    traceId,
                    errorAction.queueUrl(),
                    failures);
        } catch (QueueSendException e) {
            lose(
                    rule,
                    message,
                    traceId,
                    "its actions failed " + failures + " and so did its error action: " + e.getMessage());
        }
    }

    private void send(SqsTarget target, byte[] output) {
        String body;
        if (target.useBase64()) {
            body = Base64.getEncoder().encodeToString(output);
        } else {
            try {
                body = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(output))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new QueueSendException(
                        "the output is not UTF-8 text, which an SQS message body must be; set useBase64", false, e);
            }
        }
        Duration backoff = settings.firstBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                sender.send(target, body);
                return;
            } catch (QueueSendException e) {
                if (!e.throttled() || attempt >= settings.throttleRetries()) {
                    throw e;
                }
                try {
                    pause.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** The error action's message, in AWS IoT's shape. */
    private static byte[] errorMessage(TopicRule rule, InboundMessage message, String traceId, List<Failure> failures) {
        ObjectNode error = JSON.createObjectNode()
                .put("ruleName", rule.name())
                .put("topic", message.topic())
                .put("cloudwatchTraceId", traceId)
                .put("clientId", message.clientId().orElse(""))
                .put("base64OriginalPayload", Base64.getEncoder().encodeToString(message.payload()));
        var list = error.putArray("failures");
        for (Failure failure : failures) {
            list.addObject()
                    .put("failedAction", failure.failedAction())
                    .put("failedResource", failure.failedResource())
                    .put("errorMessage", failure.errorMessage());
        }
        return JSON.writeValueAsBytes(error);
    }

    private void lose(TopicRule rule, InboundMessage message, String traceId, String why) {
        lost.incrementAndGet();
        // never the payload: telemetry is not written in plaintext anywhere, logs included; its size and digest
        // let an operator match it against what the device or another region holds
        log.error(
                "LOST: topic rule {} could not deliver message {} (trace {}, topic {}, client {}): {}; payload {}"
                        + " bytes, SHA-256 {}",
                rule.name(),
                messageId(message, traceId),
                traceId,
                message.topic(),
                message.clientId().orElse("-"),
                why,
                message.payload().length,
                sha256(message.payload()));
    }

    private static String sha256(byte[] payload) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The device's messageId when the payload has one, else the trace id. */
    private static String messageId(InboundMessage message, String traceId) {
        ObjectNode payload = RuleSql.jsonObject(message.payload());
        JsonNode id = payload == null ? null : payload.get("messageId");
        return id != null && id.isString() ? id.stringValue() : traceId;
    }

    /** Stops refreshing and waits (up to the drain timeout) for queued executions to finish. */
    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                int abandoned = executor.shutdownNow().size();
                lost.addAndGet(abandoned);
                log.error(
                        "LOST: {} topic rule executions still queued after {}; their messages were not delivered",
                        abandoned,
                        settings.drainTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            int abandoned = executor.shutdownNow().size();
            lost.addAndGet(abandoned);
            log.error("LOST: interrupted while draining; {} topic rule executions abandoned", abandoned);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
