package dev.iotdr.failover.support;

import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.Ports;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory ports with the semantics the coordinator relies on; for unit tests of decisions. */
public final class Fakes {
    private Fakes() {}

    /** DNS with Route 53's compare-and-swap: a switch from a state that is no longer current is refused. */
    public static final class Dns implements Ports.DnsControl {
        private Ports.DnsState state;
        private int switches;

        @Override
        public synchronized Optional<Ports.DnsState> current() {
            return Optional.ofNullable(state);
        }

        @Override
        public synchronized Ports.DnsState initialize(Region active) {
            if (state == null) {
                state = new Ports.DnsState(active, 1);
            }
            return state;
        }

        @Override
        public synchronized Ports.DnsChange switchActive(Ports.DnsState expected, Region target) {
            if (!expected.equals(state)) {
                throw new Ports.StaleDnsState("DNS holds " + state + ", not " + expected);
            }
            state = new Ports.DnsState(target, expected.generation() + 1);
            switches++;
            Instant now = Instant.now();
            return new Ports.DnsChange(state, now, now);
        }

        @Override
        public synchronized Optional<Region> resolveApi() {
            return Optional.ofNullable(state).map(Ports.DnsState::active);
        }

        public synchronized int switches() {
            return switches;
        }
    }

    /** Probes whose answer per region the test sets. */
    public static final class Probes implements Ports.RegionProbe, Ports.ApiCheck {
        private final Map<Region, Boolean> up = new ConcurrentHashMap<>();

        public void set(Region region, boolean healthy) {
            up.put(region, healthy);
        }

        @Override
        public Ports.ProbeResult probe(Region region) {
            boolean ok = up.getOrDefault(region, true);
            return new Ports.ProbeResult(ok, ok ? "ok" : "down");
        }

        @Override
        public boolean serves(Region region) {
            return up.getOrDefault(region, true);
        }
    }

    /** A timeline and freeze in memory. */
    public static final class Events implements Ports.FailoverEvents {
        private final List<FailoverEvent> events = new ArrayList<>();
        private String freeze;

        @Override
        public synchronized void record(FailoverEvent event) {
            events.add(event);
        }

        @Override
        public synchronized List<FailoverEvent> recent(int limit) {
            return events.stream()
                    .sorted(Comparator.comparing(FailoverEvent::decided).reversed())
                    .limit(limit)
                    .toList();
        }

        @Override
        public synchronized Optional<Instant> lastFailoverAt() {
            return recent(1).stream().findFirst().map(FailoverEvent::decided);
        }

        @Override
        public synchronized Optional<String> freeze() {
            return Optional.ofNullable(freeze);
        }

        @Override
        public synchronized void freeze(String reason) {
            freeze = reason;
        }

        @Override
        public synchronized void unfreeze() {
            freeze = null;
        }

        public synchronized List<FailoverEvent> all() {
            return List.copyOf(events);
        }
    }

    /** Replication lag the test sets per region: applied up to that long before now, sources not named. */
    public static final class Lag implements Ports.ReplicationLag {
        private final Map<Region, Duration> lag = new ConcurrentHashMap<>();
        private final Map<Region, Ports.ReplicationView> views = new ConcurrentHashMap<>();

        public void set(Region region, Duration value) {
            lag.put(region, value);
        }

        /** The exact view a region's replication service reports. */
        public void set(Region region, Ports.ReplicationView view) {
            views.put(region, view);
        }

        @Override
        public Optional<Ports.ReplicationView> viewOf(Region region) {
            if (views.containsKey(region)) {
                return Optional.of(views.get(region));
            }
            return Optional.ofNullable(lag.get(region))
                    .map(value ->
                            new Ports.ReplicationView(java.time.Instant.now().minus(value), java.util.Set.of(), value));
        }

        @Override
        public Optional<Integer> driftOf(Region region) {
            return Optional.of(0);
        }
    }
}
