package dev.iotdr.failover.decision.adapter.in.schedule;

import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.Leadership;
import dev.iotdr.failover.decision.domain.Rule;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Every probe interval: the region's decider (lock holder) probes and decides; standbys only probe, so
 * their view of health is warm if they take over. Blocked decisions are counted by rule.
 */
public final class DeciderRunner implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(DeciderRunner.class);

    private final FailoverCoordinator coordinator;
    private final Leadership leadership;
    private final HealthMonitor monitor;
    private final Duration interval;
    private final MeterRegistry meters;
    private volatile Thread loop;
    private volatile boolean running;

    public DeciderRunner(
            FailoverCoordinator coordinator,
            Leadership leadership,
            HealthMonitor monitor,
            Duration interval,
            MeterRegistry meters) {
        this.coordinator = coordinator;
        this.leadership = leadership;
        this.monitor = monitor;
        this.interval = interval;
        this.meters = meters;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name("failover-decider").start(this::run);
    }

    private void run() {
        while (running) {
            long started = System.nanoTime();
            try {
                if (leadership.isLeader()) {
                    var before = coordinator.lastDecision();
                    coordinator.tick().ifPresent(event -> meters.counter(
                                    "iotdr.failover.events",
                                    "trigger",
                                    event.trigger().name(),
                                    "to",
                                    event.to())
                            .increment());
                    coordinator
                            .lastDecision()
                            .filter(decision -> before.isEmpty() || before.get() != decision)
                            .filter(decision -> !decision.allowed())
                            .ifPresent(decision -> decision.blockedBy().forEach(rule -> countBlocked(rule)));
                } else {
                    monitor.probeAll();
                }
            } catch (RuntimeException e) {
                log.warn("decider tick failed: {}", e.toString());
            }
            long waitMillis = interval.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (waitMillis > 0) {
                try {
                    Thread.sleep(waitMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void countBlocked(Rule rule) {
        meters.counter("iotdr.failover.blocked", "rule", rule.name()).increment();
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        Thread current = loop;
        if (current != null) {
            current.interrupt();
            current.join(5_000);
        }
    }
}
