package dev.iotdr.replication.registry.adapter.in.schedule;

import dev.iotdr.replication.registry.application.JobSignal;
import dev.iotdr.replication.registry.application.JobWorker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Runs this instance's job worker once the service is ready: look for a job nobody runs, run it, repeat. */
@Component
class JobWorkerRunner implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(JobWorkerRunner.class);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final JobWorker worker;
    private final JobSignal signal;
    private volatile Thread thread;
    private volatile boolean running;

    JobWorkerRunner(JobWorker worker, JobSignal signal) {
        this.worker = worker;
        this.signal = signal;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("replication-jobs").start(this::loop);
    }

    private void loop() {
        while (running) {
            boolean ran = false;
            try {
                ran = worker.runOne().isPresent();
            } catch (RuntimeException e) {
                log.warn("job worker round failed; retrying: {}", e.toString());
            }
            if (!ran) {
                try {
                    signal.awaitJob(IDLE); // a job started here wakes it at once; others' jobs within IDLE
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void destroy() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
