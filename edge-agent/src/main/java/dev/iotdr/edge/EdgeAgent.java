package dev.iotdr.edge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One device's side of disaster recovery. While running it keeps a connection to whatever address the custom name
 * resolves to (MQTT 5 over TLS with the device's certificate, the custom name as SNI and as the name the endpoint's
 * certificate must carry), and sends what {@link #produce} stored in the {@link TelemetryBuffer}, oldest first, QoS 1,
 * removing each message only when acknowledged. A lost connection or a refused connect is retried on the AWS device
 * SDK's MQTT5 backoff ({@link ReconnectBackoff}); while waiting, the name is asked again whenever its answer's TTL has
 * run out, and a new address is tried at once (within the schedule's first jitter window).
 *
 * <p>Sessions are clean (persistent sessions do not cross regions, and the buffer, not the broker, holds what is
 * not yet acknowledged). Messages go to {@code dt/fleet/<thingName>/telemetry} in the telemetry contract's shape:
 * {@code messageId} (stable across resends), {@code seq}, {@code ts}, {@code metrics}.
 */
public final class EdgeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int IN_FLIGHT = 10;
    /** Above the client's own socket (5 s) and MQTT (10 s) connect timeouts, which end an attempt first. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a sent message may wait for its PUBACK before the connection is given up and made again. */
    static final Duration PUBACK_WITHIN = Duration.ofSeconds(30);
    /** How often a connected agent looks whether the name still points where it is (DNS is asked only past a TTL). */
    private static final Duration NAME_CHECK_INTERVAL = Duration.ofSeconds(1);

    /** What the agent tells whoever watches it (the fleet runner, the drill); called on the agent's thread. */
    public interface Events {
        default void connected(String thingName, InetAddress endpoint, Instant at) {}

        default void disconnected(String thingName, InetAddress endpoint, Instant at, String why) {}

        /** The endpoint answered the connect with a refusal (CONNACK with a reason code that is an error). */
        default void refused(String thingName, InetAddress endpoint, Instant at, String reasonCode) {}
    }

    /** The agent's counts; produced, dropped and buffered come from the buffer and survive a restart. */
    public record Status(
            String thingName,
            boolean connected,
            Optional<InetAddress> endpoint,
            long produced,
            long acknowledged,
            long buffered,
            long dropped,
            long rejected,
            long refusals) {}

    private final DeviceIdentity identity;
    private final EndpointResolver resolver;
    private final int port;
    private final TelemetryBuffer buffer;
    private final Events events;
    private final Clock clock;
    private final ReconnectBackoff backoff;
    private final String topic;
    private final Semaphore wake = new Semaphore(0);
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile boolean running;
    private volatile InetAddress connectedTo;
    private volatile Mqtt5AsyncClient client;
    private Thread loop;
    private InetAddress lastTried;

    public EdgeAgent(
            DeviceIdentity identity,
            EndpointResolver resolver,
            int port,
            TelemetryBuffer buffer,
            Events events,
            Clock clock,
            RandomGenerator random) {
        this.identity = identity;
        this.resolver = resolver;
        this.port = port;
        this.buffer = buffer;
        this.events = events;
        this.clock = clock;
        this.backoff = new ReconnectBackoff(random);
        this.topic = "dt/fleet/" + identity.thingName() + "/telemetry";
    }

    public String thingName() {
        return identity.thingName();
    }

    /** Starts connecting (on a virtual thread of its own); returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name("edge-agent-" + identity.thingName()).start(this::run);
    }

    /**
     * Stores one reading as the next telemetry message; it is sent when connected. Returns its sequence number. The
     * message is on disk (committed) when this returns.
     */
    public long produce(Map<String, ?> metrics) {
        TelemetryBuffer.Entry entry = store(buffer, identity.thingName(), metrics, clock.millis());
        wake.release();
        return entry.seq();
    }

    /**
     * Stores one telemetry message of {@code thingName} in the buffer, in the contract's shape: a new
     * {@code messageId} (kept with the message, so every resend carries the same id), the buffer's next
     * {@code seq}, {@code ts} and {@code metrics}.
     */
    public static TelemetryBuffer.Entry store(
            TelemetryBuffer buffer, String thingName, Map<String, ?> metrics, long nowMillis) {
        String messageId = UUID.randomUUID().toString();
        return buffer.append(thingName, seq -> {
            ObjectNode message = JSON.createObjectNode();
            message.put("messageId", messageId);
            message.put("seq", seq);
            message.put("ts", nowMillis);
            message.set("metrics", JSON.valueToTree(metrics));
            return JSON.writeValueAsBytes(message);
        });
    }

    public Status status() {
        TelemetryBuffer.Counts counts = buffer.counts(identity.thingName());
        InetAddress endpoint = connectedTo;
        return new Status(
                identity.thingName(),
                endpoint != null,
                Optional.ofNullable(endpoint),
                counts.produced(),
                acknowledged.get(),
                counts.buffered(),
                counts.dropped(),
                rejected.get(),
                refusals.get());
    }

    // ---- the connection loop ----

    private void run() {
        while (running) {
            EndpointResolver.Answer answer;
            try {
                answer = resolver.resolve();
            } catch (UnknownHostException e) {
                log.debug("{}: {}", identity.thingName(), e.getMessage());
                waitBeforeRetry();
                continue;
            }
            InetAddress address = answer.address();
            if (lastTried != null && !answer.names(lastTried)) {
                backoff.newEndpoint(); // the name moved: a new schedule for the new address
            }
            lastTried = address;
            connectAndSend(address);
            if (running) {
                waitBeforeRetry();
            }
        }
    }

    private void connectAndSend(InetAddress address) {
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        Mqtt5AsyncClient attempt;
        try {
            attempt = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier(identity.thingName())
                    // the address carries the custom name: sent as SNI and checked against the endpoint's certificate
                    .serverAddress(new InetSocketAddress(address, port))
                    .sslConfig(MqttClientSslConfig.builder()
                            .keyManagerFactory(identity.keyManagers())
                            .trustManagerFactory(identity.trustManagers())
                            .protocols(List.of("TLSv1.3", "TLSv1.2"))
                            .build())
                    .transportConfig()
                    .socketConnectTimeout(5, TimeUnit.SECONDS)
                    .mqttConnectTimeout(10, TimeUnit.SECONDS)
                    .applyTransportConfig()
                    .addDisconnectedListener(context -> lost.complete(context.getCause()))
                    .buildAsync();
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the identity of " + identity.thingName() + " cannot be used for TLS", e);
        }
        CompletableFuture<?> connecting = attempt.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(0) // the session ends with the connection
                .keepAlive(30)
                .send();
        try {
            connecting.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5ConnAckException refused
                    && refused.getMqttMessage().getReasonCode() != Mqtt5ConnAckReasonCode.SUCCESS) {
                refusals.incrementAndGet();
                String code = refused.getMqttMessage().getReasonCode().name();
                log.info("{}: connect to {} refused: {}", identity.thingName(), address.getHostAddress(), code);
                events.refused(identity.thingName(), address, clock.instant(), code);
            } else {
                log.debug("{}: connect to {} failed: {}", identity.thingName(), address.getHostAddress(), e.getCause());
            }
            resolver.failed(address);
            return;
        } catch (TimeoutException | InterruptedException e) {
            // a connect that completes after we gave up must not stay open, unreferenced
            connecting.whenComplete((connected, failure) -> {
                if (failure == null) {
                    attempt.disconnect();
                }
            });
            resolver.failed(address);
            return;
        }
        client = attempt;
        Instant connectedAt = clock.instant();
        connectedTo = address;
        backoff.connected(connectedAt);
        events.connected(identity.thingName(), address, connectedAt);
        Optional<String> left = Optional.empty();
        try {
            left = send(attempt, address, lost);
        } finally {
            connectedTo = null;
            client = null;
            resolver.failed(address); // the connection was lost: where the name points is asked again
            Instant at = clock.instant();
            backoff.disconnected(at);
            if (left.isPresent()) {
                // left for the name's new address: a new schedule for it, not the delay earned against this one
                backoff.newEndpoint();
                lastTried = null;
            }
            Throwable cause = lost.getNow(null);
            events.disconnected(
                    identity.thingName(),
                    address,
                    at,
                    left.orElse(cause == null ? "stopped" : String.valueOf(cause.getMessage())));
            if (attempt.getState().isConnected()) {
                attempt.disconnect();
            }
        }
    }

    /**
     * Sends the buffer, oldest first, up to {@link #IN_FLIGHT} unacknowledged at a time, until the connection ends or
     * the name moves to another address (then, with nothing in flight, the agent leaves for the new address: after a
     * failback the fleet returns to the primary within a TTL, spread by each device's own TTL clock and the backoff's
     * first jitter window, instead of staying wherever it went until its connection happens to break).
     *
     * @return why the agent left, when it left on its own; empty when the connection ended or the agent stopped
     */
    private Optional<String> send(Mqtt5AsyncClient connection, InetAddress address, CompletableFuture<Throwable> lost) {
        lost.whenComplete((cause, failure) -> wake.release()); // a lost connection ends the wait for work
        Instant nextNameCheck = clock.instant().plus(NAME_CHECK_INTERVAL);
        while (running && !lost.isDone()) {
            if (!clock.instant().isBefore(nextNameCheck)) {
                nextNameCheck = clock.instant().plus(NAME_CHECK_INTERVAL);
                Optional<InetAddress> moved = movedFrom(address);
                if (moved.isPresent()) {
                    log.info(
                            "{}: the name now points at {}; leaving {}",
                            identity.thingName(),
                            moved.get().getHostAddress(),
                            address.getHostAddress());
                    return Optional.of("the name moved to " + moved.get().getHostAddress());
                }
            }
            List<TelemetryBuffer.Entry> batch = buffer.oldest(identity.thingName(), 0, IN_FLIGHT);
            if (batch.isEmpty()) {
                try {
                    wake.tryAcquire(1, TimeUnit.SECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                continue;
            }
            List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
            for (TelemetryBuffer.Entry entry : batch) {
                sent.add(connection
                        .publishWith()
                        .topic(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(entry.message())
                        .contentType("application/json")
                        .send());
            }
            for (int i = 0; i < batch.size(); i++) {
                TelemetryBuffer.Entry entry = batch.get(i);
                CompletableFuture<Mqtt5PublishResult> publish = sent.get(i);
                try {
                    Mqtt5PublishResult result = CompletableFuture.anyOf(publish, lost)
                            .thenApply(done -> publish.getNow(null))
                            .get(PUBACK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                    if (result == null) {
                        return Optional
                                .empty(); // the connection went while waiting: unacknowledged messages stay buffered
                    }
                    if (result.getError().isPresent()) {
                        // a PUBACK with an error reason: the endpoint will never take this message (its policy
                        // refuses the topic); resending forever would block every later message
                        rejected.incrementAndGet();
                        buffer.acknowledged(identity.thingName(), entry.seq());
                        log.warn(
                                "{}: message {} rejected by the endpoint: {}",
                                identity.thingName(),
                                entry.seq(),
                                result.getError().get().getMessage());
                    } else {
                        buffer.acknowledged(identity.thingName(), entry.seq());
                        acknowledged.incrementAndGet();
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Mqtt5PubAckException refused) {
                        // a PUBACK with an error reason: the endpoint will never take this message (its policy
                        // refuses the topic, or it is too large); resending forever would block every later one
                        rejected.incrementAndGet();
                        buffer.acknowledged(identity.thingName(), entry.seq());
                        log.warn(
                                "{}: message {} rejected by the endpoint: {}",
                                identity.thingName(),
                                entry.seq(),
                                refused.getMqttMessage().getReasonCode());
                        continue;
                    }
                    return Optional.empty(); // not acknowledged: stays buffered, sent again after reconnecting
                } catch (TimeoutException stalled) {
                    // the connection looks alive (keep-alive answers) but this message is never acknowledged: a new
                    // connection (and a fresh look at the name) sends it again instead of waiting forever
                    log.warn(
                            "{}: no PUBACK for message {} within {}; reconnecting",
                            identity.thingName(),
                            entry.seq(),
                            PUBACK_WITHIN);
                    lost.complete(new TimeoutException("no PUBACK within " + PUBACK_WITHIN));
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The address the name points at now, when {@code address} is none of the name's addresses any more (an answer
     * listing it among others, in any order, is no move); a name that cannot be resolved stays where it is.
     */
    private Optional<InetAddress> movedFrom(InetAddress address) {
        try {
            EndpointResolver.Answer now = resolver.resolve(); // asks DNS only when the answer's TTL has run out
            return now.names(address) ? Optional.empty() : Optional.of(now.address());
        } catch (UnknownHostException e) {
            return Optional.empty(); // no answer is no reason to leave a working connection
        }
    }

    /**
     * Waits the backoff's next delay; meanwhile asks DNS again whenever the answer in use has expired, and ends the
     * wait early (within the schedule's first jitter window) when the name points at a new address.
     */
    private void waitBeforeRetry() {
        Instant deadline = clock.instant().plus(backoff.nextDelay());
        while (running) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return;
            }
            Optional<EndpointResolver.Answer> answer = resolver.cached();
            if (answer.isEmpty()) {
                try {
                    EndpointResolver.Answer fresh = resolver.resolve();
                    if (lastTried != null && !fresh.names(lastTried)) {
                        backoff.newEndpoint();
                        lastTried = null; // one new schedule per new address
                        deadline = clock.instant().plus(backoff.nextDelay());
                        continue;
                    }
                    answer = resolver.cached();
                } catch (UnknownHostException e) {
                    // no answer now: look again in a second, keep waiting out the delay
                }
            }
            // a TTL of 0 (or no answer) is looked at again after half a second, never in a busy loop
            Instant expires = answer.map(EndpointResolver.Answer::expires)
                    .filter(at -> at.isAfter(now.plusMillis(500)))
                    .orElse(now.plusMillis(500));
            if (!sleepUntil(expires.isBefore(deadline) ? expires : deadline)) {
                return;
            }
        }
    }

    private boolean sleepUntil(Instant at) {
        long millis = Duration.between(clock.instant(), at).toMillis();
        if (millis <= 0) {
            return true;
        }
        try {
            return !stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    /** Stops: disconnects cleanly; what is not acknowledged stays in the buffer for the next start. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            this.running = false;
            running = loop;
        }
        stopped.countDown(); // ends a wait between attempts
        wake.release(); // ends the sender's wait for work
        Mqtt5AsyncClient current = client;
        if (current != null && current.getState().isConnected()) {
            current.disconnect();
        }
        if (running != null) {
            // no interrupt: the loop may be inside the shared buffer's file I/O, which an interrupt would close
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
