package dev.iotdr.failover.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.failover.decision.domain.FailoverRules.Decision;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import dev.iotdr.failover.decision.domain.Observations;
import dev.iotdr.failover.decision.domain.Rule;
import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverRulesTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final RegionHealth HEALTHY = RegionHealth.unknown(3, 1).observe(true, NOW, "ok");
    private static final RegionHealth UNHEALTHY = RegionHealth.unknown(1, 1).observe(false, NOW, "down");
    private static final RegionHealth UNKNOWN = RegionHealth.unknown(3, 3);
    private final FailoverRules rules = new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5));

    private static Observations seen(
            RegionHealth us,
            RegionHealth eu,
            Optional<Duration> euLag,
            Optional<Instant> last,
            Optional<String> freeze) {
        return new Observations(
                US, Map.of(US, us, EU, eu), Map.of(EU, euLag, US, Optional.of(Duration.ZERO)), last, freeze, NOW);
    }

    private static Observations allowed() {
        return seen(UNHEALTHY, HEALTHY, Optional.of(Duration.ofMillis(800)), Optional.empty(), Optional.empty());
    }

    @Test
    void automaticFailoverIsAllowedWhenEveryRulePasses() {
        Decision decision = rules.decide(allowed(), EU, Trigger.AUTOMATIC, false, Optional.empty());
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.blockedBy()).isEmpty();
    }

    @Test
    void automaticFailoverIsBlockedWhileTheActiveRegionIsHealthyOrNotYetDeclaredUnhealthy() {
        for (RegionHealth active : new RegionHealth[] {HEALTHY, UNKNOWN, HEALTHY.observe(false, NOW, "one miss")}) {
            Decision decision = rules.decide(
                    seen(active, HEALTHY, Optional.of(Duration.ZERO), Optional.empty(), Optional.empty()),
                    EU,
                    Trigger.AUTOMATIC,
                    false,
                    Optional.empty());
            assertThat(decision.blockedBy()).containsExactly(Rule.ACTIVE_REGION_HEALTHY);
        }
    }

    @Test
    void aManualFailoverDoesNotNeedTheActiveRegionToBeDown() {
        Decision decision = rules.decide(
                seen(HEALTHY, HEALTHY, Optional.of(Duration.ZERO), Optional.empty(), Optional.empty()),
                EU,
                Trigger.MANUAL,
                false,
                Optional.empty());
        assertThat(decision.allowed()).isTrue();
    }

    @Test
    void anUnhealthyOrUnknownTargetBlocks() {
        assertThat(rules.decide(
                                seen(
                                        UNHEALTHY,
                                        UNHEALTHY,
                                        Optional.of(Duration.ZERO),
                                        Optional.empty(),
                                        Optional.empty()),
                                EU,
                                Trigger.AUTOMATIC,
                                false,
                                Optional.empty())
                        .blockedBy())
                .containsExactly(Rule.TARGET_UNHEALTHY);
        assertThat(rules.decide(
                                seen(
                                        UNHEALTHY,
                                        UNKNOWN,
                                        Optional.of(Duration.ZERO),
                                        Optional.empty(),
                                        Optional.empty()),
                                EU,
                                Trigger.AUTOMATIC,
                                false,
                                Optional.empty())
                        .blockedBy())
                .containsExactly(Rule.TARGET_UNHEALTHY);
    }

    @Test
    void replicationLagOverTheBudgetOrUnknownBlocks() {
        Decision over = rules.decide(
                seen(UNHEALTHY, HEALTHY, Optional.of(Duration.ofSeconds(6)), Optional.empty(), Optional.empty()),
                EU,
                Trigger.AUTOMATIC,
                false,
                Optional.empty());
        assertThat(over.blockedBy()).containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET);
        assertThat(over.explanation()).contains("6000 ms is over the budget of 5000 ms");
        Decision unknown = rules.decide(
                seen(UNHEALTHY, HEALTHY, Optional.empty(), Optional.empty(), Optional.empty()),
                EU,
                Trigger.AUTOMATIC,
                false,
                Optional.empty());
        assertThat(unknown.blockedBy()).containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET);
        assertThat(rules.decide(
                                seen(
                                        UNHEALTHY,
                                        HEALTHY,
                                        Optional.of(Duration.ofSeconds(5)),
                                        Optional.empty(),
                                        Optional.empty()),
                                EU,
                                Trigger.AUTOMATIC,
                                false,
                                Optional.empty())
                        .allowed())
                .as("exactly the budget is within it")
                .isTrue();
    }

    @Test
    void aRecentFailoverBlocksUntilTheCooldownEnds() {
        Decision during = rules.decide(
                seen(
                        UNHEALTHY,
                        HEALTHY,
                        Optional.of(Duration.ZERO),
                        Optional.of(NOW.minusSeconds(299)),
                        Optional.empty()),
                EU,
                Trigger.AUTOMATIC,
                false,
                Optional.empty());
        assertThat(during.blockedBy()).containsExactly(Rule.COOLDOWN);
        Decision after = rules.decide(
                seen(
                        UNHEALTHY,
                        HEALTHY,
                        Optional.of(Duration.ZERO),
                        Optional.of(NOW.minusSeconds(300)),
                        Optional.empty()),
                EU,
                Trigger.AUTOMATIC,
                false,
                Optional.empty());
        assertThat(after.allowed()).isTrue();
    }

    @Test
    void aFreezeBlocksEveryUnforcedFailover() {
        Decision decision = rules.decide(
                seen(UNHEALTHY, HEALTHY, Optional.of(Duration.ZERO), Optional.empty(), Optional.of("change window")),
                EU,
                Trigger.MANUAL,
                false,
                Optional.empty());
        assertThat(decision.blockedBy()).containsExactly(Rule.FROZEN);
        assertThat(decision.explanation()).contains("change window");
    }

    @Test
    void everyFailingRuleIsNamedNotJustTheFirst() {
        Decision decision = rules.decide(
                seen(HEALTHY, UNKNOWN, Optional.empty(), Optional.of(NOW), Optional.of("freeze")),
                EU,
                Trigger.AUTOMATIC,
                false,
                Optional.empty());
        assertThat(decision.blockedBy())
                .containsExactly(
                        Rule.ACTIVE_REGION_HEALTHY,
                        Rule.TARGET_UNHEALTHY,
                        Rule.REPLICATION_LAG_OVER_BUDGET,
                        Rule.COOLDOWN,
                        Rule.FROZEN);
    }

    @Test
    void forceSkipsTheRulesButNeedsAReasonAndCannotTargetTheActiveRegion() {
        Observations blocked = seen(HEALTHY, UNKNOWN, Optional.empty(), Optional.of(NOW), Optional.of("freeze"));
        Decision forced = rules.decide(blocked, EU, Trigger.MANUAL, true, Optional.of("datacenter fire drill"));
        assertThat(forced.allowed()).isTrue();
        assertThat(forced.forced()).isTrue();
        assertThat(forced.explanation()).contains("datacenter fire drill");
        assertThatThrownBy(() -> rules.decide(blocked, EU, Trigger.MANUAL, true, Optional.empty()))
                .hasMessageContaining("reason");
        assertThat(rules.decide(blocked, US, Trigger.MANUAL, true, Optional.of("x"))
                        .blockedBy())
                .containsExactly(Rule.TARGET_ALREADY_ACTIVE);
    }

    @Test
    void theActiveRegionIsNeverATarget() {
        assertThat(rules.decide(allowed(), US, Trigger.MANUAL, false, Optional.empty())
                        .blockedBy())
                .contains(Rule.TARGET_ALREADY_ACTIVE);
    }
}
