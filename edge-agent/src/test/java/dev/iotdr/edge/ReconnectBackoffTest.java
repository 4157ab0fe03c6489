package dev.iotdr.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The AWS device SDK's MQTT5 schedule, checked on the schedule itself (no clock, no sleeping). */
class ReconnectBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** A generator that always draws the same fraction of the range. */
    private static RandomGenerator always(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void theCeilingStartsAtOneSecondAndDoublesUpTo120Seconds() {
        List<Long> ceilings = new ArrayList<>();
        for (int failures = 0; failures < 10; failures++) {
            ceilings.add(ReconnectBackoff.ceiling(failures).toSeconds());
        }
        assertThat(ceilings).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 120L, 120L, 120L);
        assertThat(ReconnectBackoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void eachDelayIsDrawnFromZeroToTheCeilingFullJitter() {
        ReconnectBackoff top = new ReconnectBackoff(always(0.999999));
        ReconnectBackoff bottom = new ReconnectBackoff(always(0.0));
        for (int attempt = 0; attempt < 12; attempt++) {
            Duration ceiling = ReconnectBackoff.ceiling(attempt);
            assertThat(top.nextDelay())
                    .isLessThanOrEqualTo(ceiling)
                    .isGreaterThan(ceiling.multipliedBy(99).dividedBy(100));
            assertThat(bottom.nextDelay()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void delaysSpreadOverTheWholeRangeNotAroundTheCeiling() {
        // full jitter, not "ceiling plus or minus a little": a fleet's retries spread from 0 to the ceiling
        RandomGenerator random = new SplittableRandom(7);
        List<Duration> fourthDelays = new ArrayList<>();
        for (int device = 0; device < 2000; device++) {
            ReconnectBackoff backoff = new ReconnectBackoff(random);
            backoff.nextDelay();
            backoff.nextDelay();
            backoff.nextDelay();
            fourthDelays.add(backoff.nextDelay()); // ceiling 8 s
        }
        long below2 = fourthDelays.stream()
                .filter(d -> d.compareTo(Duration.ofSeconds(2)) < 0)
                .count();
        long above6 = fourthDelays.stream()
                .filter(d -> d.compareTo(Duration.ofSeconds(6)) > 0)
                .count();
        assertThat(fourthDelays).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofSeconds(8)) <= 0);
        assertThat(below2).isBetween(400L, 600L); // a quarter of 2000, give or take
        assertThat(above6).isBetween(400L, 600L);
    }

    @Test
    void theScheduleStartsAgainOnlyAfterThirtySecondsConnected() {
        ReconnectBackoff backoff = new ReconnectBackoff(always(0.5));
        for (int i = 0; i < 5; i++) {
            backoff.nextDelay();
        }
        backoff.connected(T0);
        backoff.disconnected(T0.plusSeconds(29));
        assertThat(backoff.failures()).isEqualTo(5);
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(16)); // half of 32 s: still escalated

        backoff.connected(T0.plusSeconds(100));
        backoff.disconnected(T0.plusSeconds(130));
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(500)); // half of 1 s: started again
    }

    @Test
    void aNewEndpointAddressStartsTheScheduleAgain() {
        ReconnectBackoff backoff = new ReconnectBackoff(always(0.5));
        for (int i = 0; i < 6; i++) {
            backoff.nextDelay();
        }
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(32));

        backoff.newEndpoint();

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(1));
    }
}
