package dev.iotdr.failover.decision.application;

import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.failover.decision.domain.FailoverRules.Decision;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import dev.iotdr.failover.decision.domain.Observations;
import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and carries out failovers: automatically on each tick (this region promotes itself when the
 * active region is declared unhealthy and every rule passes), or when an operator asks (failover, failback,
 * drill). Every decision, allowed or blocked, is kept for the API and the logs; every failover is recorded
 * with its timeline.
 */
public final class FailoverCoordinator {
    private static final Logger log = LoggerFactory.getLogger(FailoverCoordinator.class);

    /** How long the region first in preference has to act before the next healthy one may. */
    public static final Duration PREFERENCE_GRACE = Duration.ofSeconds(30);

    private final Region self;
    private final RegionTopology topology;
    private final FailoverRules rules;
    private final HealthMonitor monitor;
    private final HealthSignals signals;
    private final DnsControl dns;
    private final ReplicationLag replication;
    private final ApiCheck api;
    private final FailoverEvents events;
    private final Duration firstRequestWithin;
    private final Duration warmUp;
    private final Instant startedAt;
    private final Clock clock;
    private final AtomicReference<Decision> lastDecision = new AtomicReference<>();
    private volatile boolean reconciled;

    public FailoverCoordinator(
            Region self,
            RegionTopology topology,
            FailoverRules rules,
            HealthMonitor monitor,
            HealthSignals signals,
            DnsControl dns,
            ReplicationLag replication,
            ApiCheck api,
            FailoverEvents events,
            Duration firstRequestWithin,
            Duration warmUp,
            Clock clock) {
        this.self = self;
        this.topology = topology;
        this.rules = rules;
        this.monitor = monitor;
        this.signals = signals;
        this.dns = dns;
        this.replication = replication;
        this.api = api;
        this.events = events;
        this.firstRequestWithin = firstRequestWithin;
        this.warmUp = warmUp;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** One decider tick: observe, and promote this region if the active one is down and the rules allow. */
    public Optional<FailoverEvent> tick() {
        monitor.probeAll();
        monitor.accept(signals.poll());
        Optional<DnsState> current = dns.current();
        if (current.isEmpty() && !self.equals(topology.primary())) {
            return Optional.empty(); // only the primary's decider creates the records, so two never race to
        }
        DnsState state = current.orElseGet(() -> dns.initialize(topology.primary()));
        if (!reconciled) {
            try {
                state = dns.reconcile(state);
                reconciled = true;
            } catch (StaleDnsState moved) {
                log.info("DNS changed while its records were reconciled; looking again next tick");
                return Optional.empty();
            } catch (RuntimeException refused) {
                // reconciling must never stop failovers: say so loudly and go on deciding
                log.warn(
                        "failover records not reconciled (Route 53 may still route on health checks): {}",
                        refused.getMessage());
                reconciled = true;
            }
        }
        Map<Region, RegionHealth> health = monitor.snapshot();
        if (state.active().equals(self) || !health.get(state.active()).unhealthy()) {
            return Optional.empty();
        }
        Optional<Region> nextInPreference = topology.others(state.active()).stream()
                .filter(region -> health.get(region).healthy())
                .findFirst();
        if (nextInPreference.isPresent() && !nextInPreference.get().equals(self)) {
            // With three or more regions only the healthy region first in preference promotes itself, so
            // deciders do not race for DNS and the fleet goes where the operators said it should; unless it
            // has not acted within the grace (its decider down, or its own rules blocking it): then any
            // healthy region may, still through every rule and the compare-and-swap.
            Instant declared = health.get(state.active()).declaredUnhealthyAt().orElse(clock.instant());
            if (clock.instant().isBefore(declared.plus(PREFERENCE_GRACE))) {
                return Optional.empty();
            }
        }
        if (!monitor.seenHealthy(state.active()) && clock.instant().isBefore(startedAt.plus(warmUp))) {
            // A region this decider has never seen healthy may still be starting: not a failure yet. After
            // the warm-up a decider started during an outage acts on what it sees.
            return Optional.empty();
        }
        Decision decision = rules.decide(observe(state), self, Trigger.AUTOMATIC, false, Optional.empty());
        remember(decision);
        if (!decision.allowed()) {
            log.warn(
                    "failover from {} to {} blocked by {}: {}",
                    state.active(),
                    self,
                    decision.blockedBy(),
                    decision.explanation());
            return Optional.empty();
        }
        return execute(state, decision, Trigger.AUTOMATIC, "active region " + state.active() + " declared unhealthy");
    }

    /** An operator's failover (or a drill's) to {@code target}, through the rules unless forced. */
    public FailoverEvent failover(Region target, String reason, boolean force, Trigger trigger) {
        if (!topology.contains(target)) {
            throw new IllegalArgumentException(target + " is not one of " + topology.regions());
        }
        DnsState state = dns.current().orElseGet(() -> dns.initialize(topology.primary()));
        Decision decision = rules.decide(observe(state), target, trigger, force, Optional.ofNullable(reason));
        remember(decision);
        if (!decision.allowed()) {
            throw new FailoverBlocked(decision);
        }
        return execute(state, decision, trigger, reason == null ? trigger.name().toLowerCase() : reason)
                .orElseThrow(() -> new FailoverBlocked(new Decision(
                        target, false, java.util.List.of(), force, "another decider changed DNS first; look again")));
    }

    /**
     * A drill's way back to {@code target}: every rule but the cool-down, and only while DNS is still where
     * the drill's own failover put it (generation {@code drillGeneration}); if anyone moved DNS since, the
     * cool-down of that switch holds and the drill does not fail back.
     */
    public FailoverEvent drillFailback(Region target, long drillGeneration) {
        DnsState state = dns.current().orElseThrow(() -> new IllegalStateException("no failover records"));
        if (state.generation() != drillGeneration) {
            throw new FailoverBlocked(new Decision(
                    target,
                    false,
                    java.util.List.of(dev.iotdr.failover.decision.domain.Rule.COOLDOWN),
                    false,
                    "DNS moved during the drill (generation " + state.generation() + ", the drill's was "
                            + drillGeneration + "); its cool-down holds"));
        }
        return failover(target, "drill failback", false, Trigger.DRILL_FAILBACK);
    }

    /** Back to the topology's primary, through the same rules. */
    public FailoverEvent failback(String reason, boolean force) {
        return failover(topology.primary(), reason, force, Trigger.MANUAL);
    }

    public Optional<Decision> lastDecision() {
        return Optional.ofNullable(lastDecision.get());
    }

    public Map<Region, RegionHealth> health() {
        return monitor.snapshot();
    }

    public Optional<DnsState> dnsState() {
        return dns.current();
    }

    /** What {@code region}'s replication service reports, if it answers. */
    public Optional<ReplicationView> replicationOf(Region region) {
        return replication.viewOf(region);
    }

    /**
     * The RPO exposure of failing over to {@code target}: how far behind its sources it was when each was
     * last seen working. A source that is failing counts from its first failed probe (what it wrote after
     * that is the outage's, which no replication could have carried); a healthy source counts from now, so
     * a reader that fails while its source is fine shows a growing exposure. Empty when unknown.
     */
    public Optional<Duration> rpoExposure(Region target) {
        return exposure(target, monitor.snapshot(), clock.instant());
    }

    /** The RPO exposure that {@code view}, already read from the target's replication service, shows. */
    public Duration rpoExposure(ReplicationView view) {
        return exposureOf(view, monitor.snapshot(), clock.instant());
    }

    private Optional<Duration> exposure(Region target, Map<Region, RegionHealth> health, Instant now) {
        return replication.viewOf(target).map(view -> exposureOf(view, health, now));
    }

    private static Duration exposureOf(ReplicationView view, Map<Region, RegionHealth> health, Instant now) {
        Instant reference = now;
        for (Region source : view.sources()) {
            RegionHealth seen = health.get(source);
            Instant lastWorking = seen == null ? now : seen.firstFailure().orElse(now);
            if (lastWorking.isBefore(reference)) {
                reference = lastWorking;
            }
        }
        Duration exposure = Duration.between(view.appliedUpTo(), reference);
        return exposure.isNegative() ? Duration.ZERO : exposure;
    }

    public FailoverEvents events() {
        return events;
    }

    /** Freezes failovers fleet-wide: every region's decider reads the freeze from DNS. */
    public DnsState freeze(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a freeze needs a reason");
        }
        return changeFreeze(Optional.of(reason));
    }

    /** Lifts the fleet-wide freeze. */
    public DnsState unfreeze() {
        return changeFreeze(Optional.empty());
    }

    private DnsState changeFreeze(Optional<String> reason) {
        for (int attempt = 0; attempt < 5; attempt++) {
            DnsState state = dns.current().orElseGet(() -> dns.initialize(topology.primary()));
            if (state.freeze().equals(reason)) {
                return state;
            }
            try {
                DnsState next = dns.setFreeze(state, reason);
                log.info(
                        "failovers {} fleet-wide",
                        reason.map(r -> "frozen: " + r).orElse("unfrozen"));
                return next;
            } catch (StaleDnsState changed) {
                log.info("DNS changed while the freeze was set ({}); looking again", changed.getMessage());
            }
        }
        throw new IllegalStateException("DNS kept changing while the freeze was set; nothing was changed, try again");
    }

    private Optional<FailoverEvent> execute(DnsState state, Decision decision, Trigger trigger, String reason) {
        Region from = state.active();
        RegionHealth fromHealth = monitor.snapshot().get(from);
        Instant decided = clock.instant();
        DnsChange change;
        try {
            change = dns.switchActive(state, decision.target());
        } catch (StaleDnsState lost) {
            log.info("another decider changed DNS first ({}); nothing done", lost.getMessage());
            return Optional.empty();
        } catch (RuntimeException unconfirmed) {
            // The change may have been applied before the failure (a timeout after Route 53 accepted it):
            // if DNS now holds exactly the state this switch writes, it happened and is recorded, so the
            // timeline is complete and the cool-down holds.
            Optional<DnsState> now = dns.current();
            if (now.isEmpty()
                    || !now.get().active().equals(decision.target())
                    || now.get().generation() != state.generation() + 1) {
                throw unconfirmed;
            }
            log.warn("DNS switch to {} applied but not confirmed: {}", decision.target(), unconfirmed.toString());
            change = new DnsChange(now.get(), decided, Optional.empty());
        }
        Optional<Instant> firstHealthy = awaitFirstHealthyRequest(decision.target());
        FailoverEvent event = new FailoverEvent(
                UUID.randomUUID().toString(),
                trigger,
                from.code(),
                decision.target().code(),
                reason,
                decision.forced(),
                fromHealth.firstFailure(),
                fromHealth.declaredUnhealthyAt(),
                decided,
                change.submittedAt(),
                change.inSyncAt(),
                firstHealthy,
                change.state().generation());
        events.record(event);
        log.info(
                "failed over from {} to {} ({}): RTO {}",
                from,
                decision.target(),
                trigger,
                event.rto().map(d -> d.toMillis() + " ms").orElse("unknown"));
        return Optional.of(event);
    }

    /** The first request through the custom name that the new active region serves healthily. */
    private Optional<Instant> awaitFirstHealthyRequest(Region target) {
        Instant deadline = clock.instant().plus(firstRequestWithin);
        while (clock.instant().isBefore(deadline)) {
            if (dns.resolveApi().filter(target::equals).isPresent() && api.serves(target)) {
                return Optional.of(clock.instant());
            }
            try {
                Thread.sleep(250); // Route 53's API allows 5 requests/s per account, shared by every region
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Observations observe(DnsState state) {
        Map<Region, RegionHealth> health = monitor.snapshot();
        Instant now = clock.instant();
        Map<Region, Optional<Duration>> lags = new HashMap<>();
        for (Region region : topology.regions()) {
            lags.put(
                    region, region.equals(state.active()) ? Optional.of(Duration.ZERO) : exposure(region, health, now));
        }
        return new Observations(state.active(), health, lags, state.switchedAt(), state.freeze(), now);
    }

    private void remember(Decision decision) {
        lastDecision.set(decision);
    }

    /** A failover the rules refused; says which rules. */
    public static final class FailoverBlocked extends RuntimeException {
        private final Decision decision;

        public FailoverBlocked(Decision decision) {
            super("failover to " + decision.target() + " blocked by " + decision.blockedBy() + ": "
                    + decision.explanation());
            this.decision = decision;
        }

        public Decision decision() {
            return decision;
        }
    }
}
