package dev.iotdr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertThat(LatencySummary.percentile(hundred, 50)).isEqualTo(50);
        assertThat(LatencySummary.percentile(hundred, 99)).isEqualTo(99);
        assertThat(LatencySummary.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(LatencySummary.percentile(new long[0], 50)).isZero();
    }

    @Test
    void throughputIsOperationsOverWallTime() {
        LatencySummary summary = LatencySummary.of("x", List.of(30L, 10L, 20L, 40L), 1, Duration.ofSeconds(2));
        assertThat(summary.perSecond()).isEqualTo(2.0);
        assertThat(summary.p50Micros()).isEqualTo(20);
        assertThat(summary.failures()).isEqualTo(1);
    }
}
