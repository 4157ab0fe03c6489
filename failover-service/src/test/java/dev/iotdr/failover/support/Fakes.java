package dev.iotdr.failover.support;

import dev.iotdr.failover.decision.application.ApiCheck;
import dev.iotdr.failover.decision.application.Audit;
import dev.iotdr.failover.decision.application.DnsChange;
import dev.iotdr.failover.decision.application.DnsControl;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.FailoverEvents;
import dev.iotdr.failover.decision.application.ProbeResult;
import dev.iotdr.failover.decision.application.RegionProbe;
import dev.iotdr.failover.decision.application.ReplicationLag;
import dev.iotdr.failover.decision.application.ReplicationView;
import dev.iotdr.failover.decision.application.StaleDnsState;
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
    public static final class Dns implements DnsControl {
        private final java.time.Clock clock;
        private DnsState state;
        private int switches;
        private RuntimeException afterSwitch;

        public Dns() {
            this(java.time.Clock.systemUTC());
        }

        public Dns(java.time.Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized Optional<DnsState> current() {
            return Optional.ofNullable(state);
        }

        @Override
        public synchronized DnsState initialize(Region active) {
            if (state == null) {
                state = DnsState.initial(active);
            }
            return state;
        }

        @Override
        public synchronized DnsChange switchActive(DnsState expected, Region target) {
            if (!expected.equals(state)) {
                throw new StaleDnsState("DNS holds " + state + ", not " + expected);
            }
            Instant now = clock.instant();
            state = expected.switchedTo(target, now);
            switches++;
            if (afterSwitch != null) {
                throw afterSwitch; // applied, then the answer was lost
            }
            return new DnsChange(state, now, Optional.of(now));
        }

        @Override
        public synchronized DnsState setFreeze(DnsState expected, Optional<String> reason) {
            if (!expected.equals(state)) {
                throw new StaleDnsState("DNS holds " + state + ", not " + expected);
            }
            state = expected.withFreeze(reason);
            return state;
        }

        @Override
        public synchronized DnsState reconcile(DnsState expected) {
            if (!expected.equals(state)) {
                throw new StaleDnsState("DNS holds " + state + ", not " + expected);
            }
            return state;
        }

        @Override
        public synchronized Optional<Region> resolveApi() {
            return Optional.ofNullable(state).map(DnsState::active);
        }

        public synchronized int switches() {
            return switches;
        }

        /** From now on every switch is applied and then fails as if its confirmation were lost. */
        public synchronized void failAfterSwitch(RuntimeException failure) {
            afterSwitch = failure;
        }
    }

    /** Probes whose answer per region the test sets. */
    public static final class Probes implements RegionProbe, ApiCheck {
        private final Map<Region, Boolean> up = new ConcurrentHashMap<>();

        public void set(Region region, boolean healthy) {
            up.put(region, healthy);
        }

        @Override
        public ProbeResult probe(Region region) {
            boolean ok = up.getOrDefault(region, true);
            return new ProbeResult(ok, ok ? "ok" : "down");
        }

        @Override
        public boolean serves(Region region) {
            return up.getOrDefault(region, true);
        }
    }

    /** A timeline in memory. */
    public static final class Events implements FailoverEvents {
        private final List<FailoverEvent> events = new ArrayList<>();

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

        public synchronized List<FailoverEvent> all() {
            return List.copyOf(events);
        }
    }

    /** Replication lag the test sets per region: applied up to that long before now, sources not named. */
    public static final class Lag implements ReplicationLag {
        private final Map<Region, Duration> lag = new ConcurrentHashMap<>();
        private final Map<Region, ReplicationView> views = new ConcurrentHashMap<>();

        public void set(Region region, Duration value) {
            lag.put(region, value);
        }

        /** The exact view a region's replication service reports. */
        public void set(Region region, ReplicationView view) {
            views.put(region, view);
        }

        @Override
        public Optional<ReplicationView> viewOf(Region region) {
            if (views.containsKey(region)) {
                return Optional.of(views.get(region));
            }
            return Optional.ofNullable(lag.get(region))
                    .map(value -> new ReplicationView(java.time.Instant.now().minus(value), java.util.Set.of(), value));
        }

        @Override
        public Audit audit(Region region) {
            return new Audit(Optional.of("audit-" + region.code()), "SUCCEEDED", Duration.ZERO, Optional.of(0));
        }
    }
}
