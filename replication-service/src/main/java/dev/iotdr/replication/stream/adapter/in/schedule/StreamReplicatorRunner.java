package dev.iotdr.replication.stream.adapter.in.schedule;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.stream.application.CopiedTables;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.service.config.RegionResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Runs every stream replicator in its own thread once the service is ready (its region's tables exist):
 * poll, and when a poll found nothing, wait one poll interval. Stops with the service.
 */
@Component
class StreamReplicatorRunner implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StreamReplicatorRunner.class);

    private final List<StreamReplicator<?>> replicators;
    private final RegionResources resources;
    private final Duration interval;
    private final List<Thread> threads = new ArrayList<>();
    private final MeterRegistry meters;
    private volatile boolean running;

    StreamReplicatorRunner(
            List<StreamReplicator<?>> replicators,
            CopiedTables copiedTables,
            RegionResources resources,
            ReplicationProperties properties,
            MeterRegistry meters) {
        this.replicators = new ArrayList<>(replicators);
        this.replicators.addAll(copiedTables.replicators());
        this.resources = resources;
        this.interval = properties.pollInterval();
        this.meters = meters;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (running) {
            return;
        }
        running = true;
        for (StreamReplicator<?> replicator : replicators) {
            threads.add(Thread.ofVirtual().name("replicate-" + name(replicator)).start(() -> loop(replicator)));
        }
        log.info(
                "replicating from {}",
                replicators.stream().map(StreamReplicatorRunner::name).toList());
    }

    /** {@code devices from us-east-1}, {@code telemetry from us-east-1}. */
    private static String name(StreamReplicator<?> replicator) {
        return (replicator.feed().isEmpty() ? "devices" : replicator.feed()) + " from " + replicator.source();
    }

    private void loop(StreamReplicator<?> replicator) {
        Timer polls = Timer.builder("iotdr.replication.poll")
                .description("one poll of a source's stream: discovery, leases, reads and applies")
                .tag("source", replicator.source().code())
                .tag("table", replicator.feed().isEmpty() ? "devices" : replicator.feed())
                .register(meters);
        while (running) {
            int handled = 0;
            try {
                handled = polls.recordCallable(replicator::poll);
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException missing) {
                // This region answers but lacks our tables (restored from scratch): re-create them.
                log.warn("replication state is missing in this region; ensuring it: {}", missing.getMessage());
                resources.heal();
            } catch (Exception e) { // the timer records failed polls too
                log.warn("replication of {} failed this poll; retrying: {}", name(replicator), e.toString());
            }
            if (handled == 0) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void destroy() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(5_000);
        }
        replicators.forEach(StreamReplicator::close);
    }
}
