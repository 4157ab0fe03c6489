package dev.iotdr.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.shared.runtime.ParentProcessWatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentProcessWatchTest {

    @Test
    void exitsOnceTheParentIsGoneAndNotBefore() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        Thread watcher = ParentProcessWatch.start(parent.pid(), Duration.ofMillis(20), exited::complete);

        Thread.sleep(100);
        assertThat(exited).isNotDone();

        parent.destroyForcibly().waitFor();

        assertThat(exited.get(10, TimeUnit.SECONDS)).isZero();
        watcher.join(5_000);
        assertThat(watcher.isAlive()).isFalse();
    }
}
