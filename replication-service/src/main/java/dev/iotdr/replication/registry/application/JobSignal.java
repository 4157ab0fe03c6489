package dev.iotdr.replication.registry.application;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes this instance's job worker when a job is started here, instead of at its next idle look. */
public final class JobSignal {
    private final Semaphore started = new Semaphore(0);

    public void jobStarted() {
        started.release();
    }

    /** Waits at most {@code idle} for a job to be started here. */
    public void awaitJob(Duration idle) throws InterruptedException {
        if (started.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS)) {
            started.drainPermits();
        }
    }
}
