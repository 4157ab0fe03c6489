package dev.iotdr.failover.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.HealthSignal;
import dev.iotdr.failover.support.Fakes;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthMonitorSignalsTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aLateOkAlarmDoesNotResetARunOfFailedProbes() {
        Fakes.Probes probes = new Fakes.Probes();
        Clock[] clock = {Clock.fixed(T0, ZoneOffset.UTC)};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock[0].instant();
            }
        };
        HealthMonitor monitor = new HealthMonitor(RegionTopology.of(US, EU), probes, 3, 2, moving);
        monitor.probeAll();
        probes.set(US, false);
        for (int second = 2; second <= 4; second += 2) {
            clock[0] = Clock.fixed(T0.plusSeconds(second), ZoneOffset.UTC);
            monitor.probeAll();
        }
        // Route 53's check went OK a minute ago; the alarm's message arrives only now.
        monitor.accept(List.of(new HealthSignal(US, true, T0.minusSeconds(60), "route53 health check OK")));
        clock[0] = Clock.fixed(T0.plusSeconds(6), ZoneOffset.UTC);
        monitor.probeAll();

        assertThat(monitor.snapshot().get(US).unhealthy())
                .as("three failed probes in a row")
                .isTrue();
        assertThat(monitor.snapshot().get(US).firstFailure()).contains(T0.plusSeconds(2));
    }

    @Test
    void anAlarmCountsAsAFailureThoughItIsOlderThanTheLatestProbe() {
        Fakes.Probes probes = new Fakes.Probes();
        HealthMonitor monitor =
                new HealthMonitor(RegionTopology.of(US, EU), probes, 1, 1, Clock.fixed(T0, ZoneOffset.UTC));
        monitor.probeAll(); // at T0, fine
        // Route 53's check went to ALARM 3 s before that probe; its message arrives only now.
        monitor.accept(List.of(new HealthSignal(US, false, T0.minusSeconds(3), "route53 health check ALARM")));
        assertThat(monitor.snapshot().get(US).unhealthy()).isTrue();
        assertThat(monitor.snapshot().get(US).declaredUnhealthyAt())
                .as("declared when the alarm was taken into account, not backdated to its state change")
                .contains(T0);
    }

    @Test
    void anOkAlarmWhileProbesFailIsIgnoredAndSignalsOutOfOrderToo() {
        Fakes.Probes probes = new Fakes.Probes();
        HealthMonitor monitor =
                new HealthMonitor(RegionTopology.of(US, EU), probes, 2, 1, Clock.fixed(T0, ZoneOffset.UTC));
        probes.set(US, false);
        monitor.probeAll(); // one failure
        monitor.accept(List.of(new HealthSignal(US, true, T0.plusSeconds(1), "route53 health check OK")));
        assertThat(monitor.snapshot().get(US).consecutiveFailures()).isEqualTo(1);
        monitor.accept(List.of(
                new HealthSignal(US, false, T0.plusSeconds(5), "route53 health check ALARM"),
                new HealthSignal(US, false, T0.plusSeconds(4), "route53 health check ALARM (late copy)")));
        assertThat(monitor.snapshot().get(US).consecutiveFailures())
                .as("the out-of-order copy is not counted twice")
                .isEqualTo(2);
    }
}
