package dev.iotdr.shared.runtime;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Ends this process when the process that started it is gone, so that a local stack whose supervisor was
 * killed (no shutdown hook ran) leaves no service behind. Only started when a parent PID is given.
 */
public final class ParentProcessWatch {
    private ParentProcessWatch() {}

    /** Watches {@code parentPid} every {@code interval}; calls {@code exit} with 0 once it is gone. */
    public static Thread start(long parentPid, Duration interval, IntConsumer exit) {
        Thread watcher = Thread.ofPlatform()
                .daemon()
                .name("parent-process-watch")
                .unstarted(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        boolean alive = ProcessHandle.of(parentPid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false);
                        if (!alive) {
                            exit.accept(0);
                            return;
                        }
                        try {
                            Thread.sleep(interval);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
        watcher.start();
        return watcher;
    }
}
