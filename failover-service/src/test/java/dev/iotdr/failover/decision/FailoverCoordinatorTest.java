package dev.iotdr.failover.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.failover.decision.application.DnsChange;
import dev.iotdr.failover.decision.application.DnsControl;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.ReplicationView;
import dev.iotdr.failover.decision.application.StaleDnsState;
import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import dev.iotdr.failover.decision.domain.Rule;
import dev.iotdr.failover.support.Fakes;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverCoordinatorTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final RegionTopology TOPOLOGY = RegionTopology.of(US, EU);

    private final Fakes.Dns dns = new Fakes.Dns();
    private final Fakes.Probes probes = new Fakes.Probes();
    private final Fakes.Events events = new Fakes.Events();
    private final Fakes.Lag lag = new Fakes.Lag();

    @org.junit.jupiter.api.BeforeEach
    void recordsExist() {
        dns.initialize(US); // the primary's decider creates them; the tests below are the others' view
    }

    @Test
    void onlyThePrimarysDeciderCreatesTheRecords() {
        Fakes.Dns empty = new Fakes.Dns();
        assertThat(decider(EU, empty).tick()).isEmpty();
        assertThat(empty.current()).isEmpty();
        decider(US, empty).tick();
        assertThat(empty.current()).contains(DnsState.initial(US));
    }

    private FailoverCoordinator decider(Region self, DnsControl dnsView) {
        return new FailoverCoordinator(
                self,
                TOPOLOGY,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(TOPOLOGY, probes, 3, 2, Clock.systemUTC()),
                List::of,
                dnsView,
                lag,
                probes,
                events,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    @Test
    void theSecondaryPromotesItselfOnlyAfterThePrimaryFailsThreeProbesInARow() {
        lag.set(EU, Duration.ofMillis(300));
        FailoverCoordinator eu = decider(EU, dns);
        eu.tick();
        eu.tick();
        probes.set(US, false);
        assertThat(eu.tick()).isEmpty();
        assertThat(eu.tick()).isEmpty();

        Optional<FailoverEvent> event = eu.tick();

        assertThat(event).isPresent();
        assertThat(event.get().from()).isEqualTo("us-east-1");
        assertThat(event.get().to()).isEqualTo("eu-west-1");
        assertThat(event.get().trigger()).isEqualTo(Trigger.AUTOMATIC);
        assertThat(event.get().firstFailedProbe()).isPresent();
        assertThat(event.get().declaredUnhealthy()).isPresent();
        assertThat(event.get().firstHealthyRequest()).isPresent();
        assertThat(event.get().rto()).isPresent();
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);
        assertThat(events.all()).hasSize(1);
    }

    @Test
    void theExposureOfAFailoverCountsFromTheFailedSourcesFirstFailureNotFromNow() {
        MovingClock clock = new MovingClock(java.time.Instant.parse("2026-11-23T12:00:00Z"));
        // eu-west-1 had applied us-east-1's records up to 1 s before us-east-1's first failed probe; its
        // lag keeps growing while us-east-1 cannot be read, but what us-east-1 wrote after it failed could
        // never have been replicated.
        lag.set(EU, new ReplicationView(clock.instant().minusSeconds(1), java.util.Set.of(US), Duration.ZERO));
        FailoverCoordinator eu = decider(EU, dns, clock);
        eu.tick();
        eu.tick();
        probes.set(US, false);
        eu.tick(); // the first failure, at 12:00:00
        clock.advance(Duration.ofSeconds(60));
        eu.tick();

        assertThat(eu.rpoExposure(EU)).contains(Duration.ofSeconds(1));
        assertThat(eu.tick())
                .as("failed over with a 1 s exposure, 61 s after the last applied record")
                .isPresent();
    }

    @Test
    void aReaderThatFailsWhileItsSourceIsHealthyBlocksAFailoverOnItsGrowingExposure() {
        MovingClock clock = new MovingClock(java.time.Instant.parse("2026-11-23T12:00:00Z"));
        lag.set(EU, new ReplicationView(clock.instant().minusSeconds(30), java.util.Set.of(US), Duration.ZERO));
        FailoverCoordinator eu = decider(EU, dns, clock);
        eu.tick();
        eu.tick(); // us-east-1 seen healthy: its reader in eu-west-1 is 30 s behind

        assertThat(eu.rpoExposure(EU)).contains(Duration.ofSeconds(30));
        assertThatThrownBy(() -> eu.failover(EU, "manual", false, Trigger.MANUAL))
                .isInstanceOf(FailoverCoordinator.FailoverBlocked.class)
                .hasMessageContaining("REPLICATION_LAG_OVER_BUDGET");
    }

    private FailoverCoordinator decider(Region self, DnsControl dnsView, Fakes.Events timeline) {
        return new FailoverCoordinator(
                self,
                TOPOLOGY,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(TOPOLOGY, probes, 3, 2, Clock.systemUTC()),
                List::of,
                dnsView,
                lag,
                probes,
                timeline,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    private FailoverCoordinator decider(Region self, DnsControl dnsView, Clock clock) {
        return new FailoverCoordinator(
                self,
                TOPOLOGY,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(TOPOLOGY, probes, 3, 2, clock),
                List::of,
                dnsView,
                lag,
                probes,
                events,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                clock);
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private java.time.Instant now;

        MovingClock(java.time.Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void aRegionNeverSeenHealthyIsNotFailedOverFromDuringTheWarmUp() {
        lag.set(EU, Duration.ZERO);
        probes.set(US, false); // still starting when the decider starts
        FailoverCoordinator eu = decider(EU, dns);
        for (int i = 0; i < 5; i++) {
            assertThat(eu.tick()).isEmpty();
        }
        assertThat(dns.switches()).isZero();

        probes.set(US, true);
        eu.tick();
        eu.tick(); // now seen healthy
        probes.set(US, false);
        eu.tick();
        eu.tick();
        assertThat(eu.tick()).as("a real failure after it was seen healthy").isPresent();
    }

    @Test
    void theActiveRegionsOwnDeciderNeverMovesAnything() {
        FailoverCoordinator us = decider(US, dns);
        probes.set(EU, false);
        for (int i = 0; i < 6; i++) {
            assertThat(us.tick()).isEmpty();
        }
        assertThat(dns.switches()).isZero();
    }

    @Test
    void aDeciderThatLosesTheCompareAndSwapRecordsNothingAndChangesNothing() {
        lag.set(EU, Duration.ZERO);
        dns.initialize(US);
        DnsState seenByBoth = dns.current().orElseThrow();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        // Decider B observed DNS at the same moment as A, but acts after A's switch.
        DnsControl staleView = new DnsControl() {
            @Override
            public Optional<DnsState> current() {
                return Optional.of(seenByBoth);
            }

            @Override
            public DnsState initialize(Region active) {
                return seenByBoth;
            }

            @Override
            public DnsChange switchActive(DnsState expected, Region target) {
                attempts.incrementAndGet();
                try {
                    return dns.switchActive(expected, target);
                } catch (StaleDnsState stale) {
                    refused.incrementAndGet();
                    throw stale;
                }
            }

            @Override
            public DnsState setFreeze(DnsState expected, Optional<String> reason) {
                return dns.setFreeze(expected, reason);
            }

            @Override
            public DnsState reconcile(DnsState expected) {
                return expected; // this view is stale on purpose; reconciling is not what this test is about
            }

            @Override
            public Optional<Region> resolveApi() {
                return dns.resolveApi();
            }
        };
        // B's view of DNS is stale (taken before A's switch, so it shows no cool-down), and B keeps its own
        // timeline: only the compare-and-swap can stop B.
        Fakes.Events bEvents = new Fakes.Events();
        FailoverCoordinator a = decider(EU, dns);
        FailoverCoordinator b = decider(EU, staleView, bEvents);
        for (FailoverCoordinator each : List.of(a, b)) {
            each.tick();
            each.tick();
        }
        probes.set(US, false);
        for (int i = 0; i < 3; i++) {
            a.tick();
        }
        assertThat(dns.switches()).isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            assertThat(b.tick()).isEmpty();
        }

        assertThat(attempts.get()).as("B reached the compare-and-swap").isPositive();
        assertThat(refused.get()).as("and lost it every time").isEqualTo(attempts.get());
        assertThat(dns.switches()).isEqualTo(1);
        assertThat(events.all()).hasSize(1);
        assertThat(bEvents.all()).as("the loser records nothing").isEmpty();
        assertThat(dns.current().orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void aBlockedAutomaticFailoverIsRememberedWithItsRules() {
        decider(US, dns).freeze("change window");
        FailoverCoordinator eu = decider(EU, dns);
        eu.tick();
        eu.tick();
        probes.set(US, false);
        for (int i = 0; i < 3; i++) {
            assertThat(eu.tick()).isEmpty();
        }
        assertThat(eu.lastDecision()).hasValueSatisfying(decision -> {
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.blockedBy()).containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET, Rule.FROZEN);
        });
        assertThat(dns.switches()).isZero();
    }

    @Test
    void aManualFailoverThroughTheRulesIsRefusedWithTheRuleAndAForcedOneNeedsAReason() {
        FailoverCoordinator us = decider(US, dns);
        us.tick();
        us.tick();
        lag.set(EU, Duration.ofSeconds(30));

        assertThatThrownBy(() -> us.failover(EU, "planned", false, Trigger.MANUAL))
                .isInstanceOfSatisfying(FailoverCoordinator.FailoverBlocked.class, blocked -> assertThat(
                                blocked.decision().blockedBy())
                        .containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET));
        assertThatThrownBy(() -> us.failover(EU, null, true, Trigger.MANUAL)).hasMessageContaining("reason");

        FailoverEvent forced = us.failover(EU, "region evacuation", true, Trigger.MANUAL);
        assertThat(forced.forced()).isTrue();
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);
        assertThatThrownBy(() -> us.failover(Region.of("ap-south-1"), "x", true, Trigger.MANUAL))
                .hasMessageContaining("is not one of");
    }
}
