package dev.iotdr.deploy.fleet;

import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.edge.EdgeAgent;
import dev.iotdr.edge.EndpointResolver;
import dev.iotdr.edge.TelemetryBuffer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many devices in one JVM, each an {@link EdgeAgent} of its own (its own DNS answers, backoff and connection), sharing
 * one encrypted buffer file (one map per device). Each produces {@code rate} readings per second while producing is
 * on; what it cannot send waits in the buffer.
 */
public final class Fleet implements AutoCloseable {
    /** The fleet's totals, and connected devices by endpoint address. */
    public record Totals(
            int devices,
            Map<String, Integer> connectedByAddress,
            long produced,
            long acknowledged,
            long buffered,
            long dropped,
            long rejected,
            long refusals) {}

    private final List<EdgeAgent> agents = new ArrayList<>();
    private final TelemetryBuffer buffer;
    private final ScheduledExecutorService producers = Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().daemon().name("fleet-producer-", 0).factory());
    private final List<ScheduledFuture<?>> producing = new ArrayList<>();

    /**
     * @param things the thing names, each with its directory under {@code fleetDirectory}
     * @param dns the DNS every device asks for {@code iot.<domain>}, or empty for the system's
     */
    public Fleet(
            Path fleetDirectory,
            List<String> things,
            String domain,
            Optional<InetSocketAddress> dns,
            int mqttPort,
            int bufferCapacityPerDevice,
            EdgeAgent.Events events) {
        this.buffer = TelemetryBuffer.open(
                fleetDirectory.resolve("buffer.mv"), fleetDirectory.resolve("buffer.key"), bufferCapacityPerDevice);
        SplittableRandom seeds = new SplittableRandom();
        for (String thing : things) {
            agents.add(new EdgeAgent(
                    DeviceIdentity.read(thing, fleetDirectory.resolve(thing)),
                    new EndpointResolver("iot." + domain, dns, Clock.systemUTC()),
                    mqttPort,
                    buffer,
                    events,
                    Clock.systemUTC(),
                    seeds.split()));
        }
    }

    /** Starts every device's connection at once (each connects as soon as it resolves the name). */
    public void connect() {
        agents.forEach(EdgeAgent::start);
    }

    /**
     * Starts the devices spread at random over {@code spread}, as a fleet powering on does (not all in one instant):
     * the first connects of a fleet are a storm of their own.
     */
    public void connect(Duration spread) {
        for (EdgeAgent agent : agents) {
            producers.schedule(
                    agent::start,
                    ThreadLocalRandom.current().nextLong(Math.max(1, spread.toMillis())),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Every device produces {@code ratePerSecond} readings a second from now on, its phase spread at random. */
    public synchronized void produce(double ratePerSecond) {
        long periodMicros = (long) (1_000_000 / ratePerSecond);
        for (EdgeAgent agent : agents) {
            long phase = ThreadLocalRandom.current().nextLong(periodMicros);
            producing.add(producers.scheduleAtFixedRate(
                    () -> agent.produce(Map.of(
                            "temperature",
                            15 + ThreadLocalRandom.current().nextDouble(10),
                            "battery",
                            ThreadLocalRandom.current().nextInt(100))),
                    phase,
                    periodMicros,
                    TimeUnit.MICROSECONDS));
        }
    }

    /** No more readings; what was produced is still sent. */
    public synchronized void stopProducing() {
        producing.forEach(future -> future.cancel(false));
        producing.clear();
    }

    /** The sequence numbers a device still has waiting in the buffer. */
    public java.util.Set<Long> bufferedSeqs(String thing) {
        java.util.Set<Long> seqs = new java.util.HashSet<>();
        for (TelemetryBuffer.Entry entry : buffer.oldest(thing, 0, Integer.MAX_VALUE)) {
            seqs.add(entry.seq());
        }
        return seqs;
    }

    public List<EdgeAgent> agents() {
        return List.copyOf(agents);
    }

    public Totals totals() {
        Map<String, Integer> connected = new LinkedHashMap<>();
        long produced = 0;
        long acknowledged = 0;
        long buffered = 0;
        long dropped = 0;
        long rejected = 0;
        long refusals = 0;
        for (EdgeAgent agent : agents) {
            EdgeAgent.Status status = agent.status();
            status.endpoint()
                    .map(InetAddress::getHostAddress)
                    .ifPresent(address -> connected.merge(address, 1, Integer::sum));
            produced += status.produced();
            acknowledged += status.acknowledged();
            buffered += status.buffered();
            dropped += status.dropped();
            rejected += status.rejected();
            refusals += status.refusals();
        }
        return new Totals(agents.size(), connected, produced, acknowledged, buffered, dropped, rejected, refusals);
    }

    /** Waits until nothing is buffered any more (everything produced was acknowledged or dropped), or the limit. */
    public boolean awaitDrained(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (totals().buffered() == 0) {
                return true;
            }
            Thread.sleep(250);
        }
        return totals().buffered() == 0;
    }

    @Override
    public void close() {
        stopProducing();
        producers.shutdown(); // no interrupt: a producer may be writing the shared buffer file
        try {
            producers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) {
            agents.forEach(agent -> closing.submit(agent::close));
        }
        buffer.close();
    }
}
