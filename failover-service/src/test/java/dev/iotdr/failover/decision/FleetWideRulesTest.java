package dev.iotdr.failover.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.HealthMonitor;
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

/**
 * The rules hold for the fleet, not per region: each decider here has its own timeline (as deployed, one
 * table per region) and they share only DNS, as they do in production.
 */
class FleetWideRulesTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Region AP = Region.of("ap-southeast-2");
    private static final RegionTopology TWO = RegionTopology.of(US, EU);
    private static final RegionTopology THREE = RegionTopology.of(US, EU, AP);

    private final Fakes.Dns dns = new Fakes.Dns();
    private final Fakes.Probes probes = new Fakes.Probes();
    private final Fakes.Lag lag = new Fakes.Lag();

    {
        lag.set(US, Duration.ZERO);
        lag.set(EU, Duration.ZERO);
        lag.set(AP, Duration.ZERO);
        dns.initialize(US);
    }

    private FailoverCoordinator decider(Region self, RegionTopology topology, Fakes.Events timeline) {
        return new FailoverCoordinator(
                self,
                topology,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(topology, probes, 3, 2, Clock.systemUTC()),
                List::of,
                dns,
                lag,
                probes,
                timeline,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    private static void ticks(int count, FailoverCoordinator... deciders) {
        for (int i = 0; i < count; i++) {
            for (FailoverCoordinator decider : deciders) {
                decider.tick();
            }
        }
    }

    @Test
    void afterAFailoverTheOtherRegionsDeciderCannotMoveDnsBackWithinTheCoolDown() {
        Fakes.Events usTimeline = new Fakes.Events();
        Fakes.Events euTimeline = new Fakes.Events();
        FailoverCoordinator us = decider(US, TWO, usTimeline);
        FailoverCoordinator eu = decider(EU, TWO, euTimeline);
        ticks(2, us, eu);
        probes.set(US, false);
        ticks(3, eu);
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);

        // us-east-1 comes back and eu-west-1 fails at once: without a fleet-wide cool-down us-east-1's
        // decider (whose own timeline is empty) would move DNS straight back.
        probes.set(US, true);
        probes.set(EU, false);
        ticks(6, us);

        assertThat(dns.switches()).isEqualTo(1);
        assertThat(usTimeline.all()).isEmpty();
        assertThat(us.lastDecision())
                .hasValueSatisfying(decision -> assertThat(decision.blockedBy()).containsExactly(Rule.COOLDOWN));
        assertThatThrownBy(() -> us.failback("operator", false))
                .isInstanceOfSatisfying(
                        FailoverCoordinator.FailoverBlocked.class,
                        blocked -> assertThat(blocked.decision().blockedBy()).contains(Rule.COOLDOWN));
    }

    @Test
    void oneFreezeInAnyRegionHoldsEveryRegionsDecider() {
        FailoverCoordinator us = decider(US, TWO, new Fakes.Events());
        FailoverCoordinator eu = decider(EU, TWO, new Fakes.Events());
        ticks(2, us, eu);

        us.freeze("change window CHG-1234");
        probes.set(US, false);
        ticks(4, eu);

        assertThat(dns.switches()).isZero();
        assertThat(eu.lastDecision())
                .hasValueSatisfying(decision -> assertThat(decision.blockedBy()).containsExactly(Rule.FROZEN));
        assertThat(eu.dnsState().orElseThrow().freeze()).contains("change window CHG-1234");

        eu.unfreeze();
        assertThat(eu.tick())
                .as("failed over once unfrozen from the other region")
                .isPresent();
    }

    @Test
    void aFreezeSetAfterADeciderLookedStopsItsSwitch() {
        FailoverCoordinator eu = decider(EU, TWO, new Fakes.Events());
        ticks(2, eu);
        var seen = dns.current().orElseThrow();
        decider(US, TWO, new Fakes.Events()).freeze("incident");
        assertThatThrownBy(() -> dns.switchActive(seen, EU))
                .isInstanceOf(dev.iotdr.failover.decision.application.StaleDnsState.class);
    }

    @Test
    void aSwitchWhoseConfirmationIsLostIsRecordedAndStartsTheCoolDown() {
        Fakes.Events euTimeline = new Fakes.Events();
        FailoverCoordinator eu = decider(EU, TWO, euTimeline);
        FailoverCoordinator us = decider(US, TWO, new Fakes.Events());
        ticks(2, us, eu);
        dns.failAfterSwitch(new IllegalStateException("DNS change not in sync within 120 s"));
        probes.set(US, false);
        ticks(3, eu);

        assertThat(euTimeline.all()).singleElement().satisfies(event -> {
            assertThat(event.to()).isEqualTo("eu-west-1");
            assertThat(event.dnsInSync()).isEmpty();
        });
        assertThat(dns.switches()).isEqualTo(1);
    }

    @Test
    void aDrillsFailbackSkipsOnlyTheCoolDownNeverTheHealthOfTheRegionItReturnsTo() {
        FailoverCoordinator us = decider(US, TWO, new Fakes.Events());
        ticks(2, us);
        FailoverEvent over = us.failover(EU, "drill", false, Trigger.DRILL);

        FailoverEvent back = us.drillFailback(US, over.generation());
        assertThat(back.forced()).isFalse();
        assertThat(dns.current().orElseThrow().active()).isEqualTo(US);

        FailoverEvent second = us.failover(EU, "second drill", true, Trigger.DRILL); // forced past the cool-down
        probes.set(US, false);
        ticks(3, us);
        assertThatThrownBy(() -> us.drillFailback(US, second.generation()))
                .isInstanceOfSatisfying(
                        FailoverCoordinator.FailoverBlocked.class,
                        blocked -> assertThat(blocked.decision().blockedBy()).containsExactly(Rule.TARGET_UNHEALTHY));
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);
    }

    @Test
    void withThreeRegionsOnlyTheHealthyRegionFirstInPreferencePromotesItself() {
        FailoverCoordinator eu = decider(EU, THREE, new Fakes.Events());
        FailoverCoordinator ap = decider(AP, THREE, new Fakes.Events());
        ticks(2, eu, ap);
        probes.set(US, false);
        ticks(3, ap); // ap first: it would win a race it should not take part in
        assertThat(dns.switches()).isZero();
        ticks(3, eu);
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);
    }

    @Test
    void aDrillDoesNotFailBackWhenDnsMovedDuringItsAudit() {
        FailoverCoordinator us = decider(US, TWO, new Fakes.Events());
        ticks(2, us);
        FailoverEvent over = us.failover(EU, "drill", false, Trigger.DRILL);
        us.freeze("incident declared during the drill"); // any change of the state record after the drill's

        assertThatThrownBy(() -> us.drillFailback(US, over.generation()))
                .isInstanceOfSatisfying(
                        FailoverCoordinator.FailoverBlocked.class,
                        blocked -> assertThat(blocked.decision().explanation()).contains("moved during the drill"));
        assertThat(dns.current().orElseThrow().active()).isEqualTo(EU);
    }

    @Test
    void withThreeRegionsTheNextRegionActsWhenTheFirstInPreferenceDoesNotWithinTheGrace() {
        FailoverCoordinatorTest.MovingClock clock =
                new FailoverCoordinatorTest.MovingClock(java.time.Instant.parse("2026-11-23T12:00:00Z"));
        FailoverCoordinator ap = new FailoverCoordinator(
                AP,
                THREE,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(THREE, probes, 3, 2, clock),
                List::of,
                dns,
                lag,
                probes,
                new Fakes.Events(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                clock);
        ticks(2, ap);
        probes.set(US, false);
        ticks(3, ap); // us-east-1 declared unhealthy; eu-west-1 (healthy, first in preference) never acts
        clock.advance(FailoverCoordinator.PREFERENCE_GRACE.minusSeconds(1));
        assertThat(ap.tick()).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        assertThat(ap.tick()).hasValueSatisfying(event -> assertThat(event.to()).isEqualTo("ap-southeast-2"));
    }

    @Test
    void withThreeRegionsTheNextHealthyRegionPromotesItselfWhenTheFirstIsDownToo() {
        FailoverCoordinator ap = decider(AP, THREE, new Fakes.Events());
        ticks(2, ap);
        probes.set(US, false);
        probes.set(EU, false);
        Optional<FailoverEvent> event = Optional.empty();
        for (int i = 0; i < 3 && event.isEmpty(); i++) {
            event = ap.tick();
        }
        assertThat(event).hasValueSatisfying(e -> assertThat(e.to()).isEqualTo("ap-southeast-2"));
    }
}
