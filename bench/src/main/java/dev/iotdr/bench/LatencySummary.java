package dev.iotdr.bench;

import java.time.Duration;
import java.util.List;

/** Throughput and latency percentiles of one benchmark run. */
record LatencySummary(String name, int operations, int failures, Duration wall, long p50Micros, long p99Micros) {

    static LatencySummary of(String name, List<Long> latenciesMicros, int failures, Duration wall) {
        long[] sorted =
                latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        return new LatencySummary(name, sorted.length, failures, wall, percentile(sorted, 50), percentile(sorted, 99));
    }

    /** Nearest-rank percentile; 0 for no samples. */
    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double perSecond() {
        return operations / Math.max(1e-9, wall.toNanos() / 1e9);
    }

    String line() {
        return String.format(
                "%-34s %6d ok %4d failed  %8.1f devices/s  p50 %8.1f ms  p99 %8.1f ms",
                name, operations, failures, perSecond(), p50Micros / 1000.0, p99Micros / 1000.0);
    }
}
