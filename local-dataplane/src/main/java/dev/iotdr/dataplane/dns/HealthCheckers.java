package dev.iotdr.dataplane.dns;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the health checks the zone's records reference, each on its own interval, and keeps each one's status
 * as a Route 53 checker would. Only referenced checks are probed, so the work is bounded by the zone, never by
 * the fleet. A check Route 53 does not describe (deleted, or a type with nothing to probe) counts as healthy.
 */
final class HealthCheckers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthCheckers.class);

    private final Predicate<HealthCheckSpec> probe;
    private final Map<String, Checker> checkers = new ConcurrentHashMap<>();
    private boolean closed;

    /** @param probe one probe of a check's endpoint: true when it passed */
    HealthCheckers(Predicate<HealthCheckSpec> probe) {
        this.probe = probe;
    }

    /**
     * Probes exactly these checks from now on: new ones start (healthy until results say otherwise), changed
     * ones go on with their status and the new settings, ones no longer referenced stop.
     */
    synchronized void watch(Map<String, HealthCheckSpec> referenced) {
        if (closed) {
            return;
        }
        for (String id : Set.copyOf(checkers.keySet())) {
            if (!referenced.containsKey(id)) {
                checkers.remove(id).stop();
                log.info("health check {} no longer referenced: not probed any more", id);
            }
        }
        Map<String, Checker> started = new HashMap<>();
        referenced.forEach((id, spec) -> {
            Checker running = checkers.get(id);
            if (running != null && running.spec.equals(spec)) {
                return;
            }
            CheckVerdict carried = running == null ? CheckVerdict.initial() : running.verdict.get();
            if (running != null) {
                running.stop();
            }
            if (!spec.type().probes()) {
                log.warn("health check {} has a type this DNS does not evaluate; it counts as healthy", id);
            }
            started.put(id, new Checker(spec, carried));
        });
        checkers.putAll(started);
        started.values().forEach(Checker::start);
    }

    /** Whether Route 53 would call this check healthy now, Disabled and Inverted applied. */
    boolean healthy(String id) {
        Checker checker = checkers.get(id);
        if (checker == null) {
            return true;
        }
        HealthCheckSpec spec = checker.spec;
        if (spec.disabled()) {
            return true; // Route 53: a disabled check is always healthy
        }
        boolean probed = checker.verdict.get().healthy();
        return spec.inverted() != probed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        checkers.values().forEach(Checker::stop);
        checkers.clear();
    }

    /** One checker location probing one check on its interval. */
    private final class Checker {
        private final HealthCheckSpec spec;
        private final AtomicReference<CheckVerdict> verdict;
        private volatile Thread thread;

        Checker(HealthCheckSpec spec, CheckVerdict verdict) {
            this.spec = spec;
            this.verdict = new AtomicReference<>(verdict);
        }

        void start() {
            thread = Thread.ofVirtual().name("health-check-" + spec.id()).start(this::run);
        }

        void stop() {
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }

        private void run() {
            long interval = spec.requestInterval().toNanos();
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                if (spec.type().probes() && !spec.disabled()) {
                    boolean passed = probe.test(spec);
                    if (Thread.currentThread().isInterrupted()) {
                        return; // stopped while probing: this result belongs to no one
                    }
                    CheckVerdict before = verdict.get();
                    CheckVerdict after = verdict.updateAndGet(v -> v.after(passed, spec.failureThreshold()));
                    if (before.healthy() != after.healthy()) {
                        log.info(
                                "health check {} ({} {}:{}) is now {}",
                                spec.id(),
                                spec.type(),
                                spec.host(),
                                spec.port(),
                                after.healthy() ? "healthy" : "unhealthy");
                    }
                }
                next += interval;
                long wait = next - System.nanoTime();
                if (wait < 0) {
                    next = System.nanoTime(); // a probe took longer than the interval: no burst to catch up
                    continue;
                }
                try {
                    Thread.sleep(java.time.Duration.ofNanos(wait));
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }
}
