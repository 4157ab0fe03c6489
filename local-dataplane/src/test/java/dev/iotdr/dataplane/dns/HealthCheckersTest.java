package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The checkers' bookkeeping with a stand-in probe that always fails, on a short interval. */
class HealthCheckersTest {
    private final AtomicInteger probes = new AtomicInteger();

    @Test
    void aFailingCheckTurnsUnhealthyAfterItsThresholdAndAnInvertedOneHealthy() throws InterruptedException {
        Map<String, AtomicInteger> probesOf = new java.util.concurrent.ConcurrentHashMap<>();
        try (HealthCheckers checkers = new HealthCheckers(spec -> {
            probesOf.computeIfAbsent(spec.id(), id -> new AtomicInteger()).incrementAndGet();
            return false;
        })) {
            checkers.watch(Map.of("plain", spec("plain", false, false), "inverted", spec("inverted", true, false)));
            assertThat(checkers.healthy("plain"))
                    .as("new: healthy until there is data")
                    .isTrue();
            assertThat(checkers.healthy("inverted")).as("new and inverted").isFalse();

            // each checker has started THRESHOLD + 1 probes, so it has recorded at least THRESHOLD results
            for (String id : java.util.List.of("plain", "inverted")) {
                while (probesOf.getOrDefault(id, new AtomicInteger()).get() < THRESHOLD + 1) {
                    Thread.sleep(5); // the surefire timeout bounds a hang; no speed is asserted
                }
            }

            assertThat(checkers.healthy("plain")).isFalse();
            assertThat(checkers.healthy("inverted")).isTrue();
        }
    }

    @Test
    void aDisabledCheckIsHealthyAndNeverProbed() throws InterruptedException {
        try (HealthCheckers checkers = new HealthCheckers(spec -> {
            probes.incrementAndGet();
            return false;
        })) {
            checkers.watch(Map.of("disabled", spec("disabled", false, true), "plain", spec("plain", false, false)));

            awaitProbes(THRESHOLD + 1);

            assertThat(checkers.healthy("plain")).as("the control fails").isFalse();
            assertThat(checkers.healthy("disabled")).isTrue();
        }
    }

    @Test
    void anUnknownCheckCountsAsHealthyAndAnUnreferencedOneStopsBeingProbed() throws InterruptedException {
        try (HealthCheckers checkers = new HealthCheckers(spec -> {
            probes.incrementAndGet();
            return false;
        })) {
            assertThat(checkers.healthy("never-seen")).isTrue();
            checkers.watch(Map.of("plain", spec("plain", false, false)));
            awaitProbes(THRESHOLD + 1);

            checkers.watch(Map.of());

            assertThat(checkers.healthy("plain"))
                    .as("no longer referenced: no status kept")
                    .isTrue();
            int after = probes.get();
            Thread.sleep(200);
            assertThat(probes.get()).isLessThanOrEqualTo(after + 1); // at most the probe already under way
        }
    }

    private static final int THRESHOLD = 3;

    private void awaitProbes(int count) throws InterruptedException {
        while (probes.get() < count) {
            Thread.sleep(5); // the surefire timeout bounds a hang; no speed is asserted
        }
    }

    private static HealthCheckSpec spec(String id, boolean inverted, boolean disabled) {
        return new HealthCheckSpec(
                id,
                HealthCheckSpec.ProbeType.TCP,
                Optional.of("127.0.0.1"),
                Optional.empty(),
                1,
                null,
                Optional.empty(),
                Duration.ofMillis(10),
                THRESHOLD,
                inverted,
                disabled,
                false);
    }
}
