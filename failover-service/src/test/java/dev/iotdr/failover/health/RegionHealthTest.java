package dev.iotdr.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.failover.health.domain.RegionHealth.Status;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegionHealthTest {
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void turnsUnhealthyOnlyAfterNConsecutiveFailuresAndRemembersTheFirst() {
        RegionHealth health = RegionHealth.unknown(3, 2).observe(true, T0, "ok").observe(true, T0, "ok");
        assertThat(health.status()).isEqualTo(Status.HEALTHY);

        health = health.observe(false, T0.plusSeconds(1), "timeout").observe(false, T0.plusSeconds(2), "timeout");
        assertThat(health.status()).isEqualTo(Status.HEALTHY);
        health = health.observe(false, T0.plusSeconds(3), "refused");

        assertThat(health.status()).isEqualTo(Status.UNHEALTHY);
        assertThat(health.firstFailure()).contains(T0.plusSeconds(1));
        assertThat(health.declaredUnhealthyAt()).contains(T0.plusSeconds(3));
    }

    @Test
    void aSuccessInBetweenResetsTheFailureCount() {
        RegionHealth health = RegionHealth.unknown(3, 1).observe(true, T0, "ok");
        health = health.observe(false, T0, "x")
                .observe(false, T0, "x")
                .observe(true, T0, "ok")
                .observe(false, T0, "x");
        assertThat(health.status()).isEqualTo(Status.HEALTHY);
        assertThat(health.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void turnsHealthyAgainOnlyAfterMConsecutiveSuccesses() {
        RegionHealth health = RegionHealth.unknown(1, 3).observe(false, T0, "down");
        assertThat(health.status()).isEqualTo(Status.UNHEALTHY);
        health = health.observe(true, T0, "ok").observe(true, T0, "ok");
        assertThat(health.status()).isEqualTo(Status.UNHEALTHY);
        health = health.observe(true, T0, "ok");
        assertThat(health.status()).isEqualTo(Status.HEALTHY);
        assertThat(health.declaredUnhealthyAt()).isEmpty();
        assertThat(health.firstFailure()).isEmpty();
    }

    @Test
    void neverFlipsOnFewerThanTheThresholds() {
        // All 125 cases: QuickTheories draws 3000 times and skips repeats, so a case goes unchecked
        // with a chance of about 5 in a billion, and the last assertion says so if it ever happens.
        Set<List<Integer>> checked = new HashSet<>();
        qt().withExamples(3000)
                .forAll(
                        integers().between(1, 5),
                        integers().between(1, 5),
                        integers().between(0, 4))
                .checkAssert((trip, recover, failures) -> {
                    checked.add(List.of(trip, recover, failures));
                    RegionHealth health = RegionHealth.unknown(trip, recover);
                    for (int i = 0; i < recover; i++) {
                        health = health.observe(true, T0, "ok");
                    }
                    for (int i = 0; i < Math.min(failures, trip - 1); i++) {
                        health = health.observe(false, T0, "x");
                    }
                    assertThat(health.status()).isEqualTo(Status.HEALTHY);
                });
        assertThat(checked)
                .as("every trip × recover × failures case was checked")
                .hasSize(5 * 5 * 5);
    }
}
