package dev.iotdr.onboarding.support;

import dev.iotdr.service.aws.DependencyUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Which port operations should fail, for tests that prove a failure after any step leaves nothing behind.
 * The real adapters still run against the emulator; a named operation throws the way an outage would,
 * either before the call ({@link #failBefore}) or after it took effect ({@link #failAfter}).
 */
public final class FaultInjection {
    private final Set<String> before = ConcurrentHashMap.newKeySet();
    private final Set<String> after = ConcurrentHashMap.newKeySet();

    public void failBefore(String operation) {
        before.add(operation);
    }

    public void failAfter(String operation) {
        after.add(operation);
    }

    private final Map<String, Runnable> onceBefore = new ConcurrentHashMap<>();

    /** Runs {@code action} once, in the caller's thread, just before the next {@code operation}. */
    public void onceBefore(String operation, Runnable action) {
        onceBefore.put(operation, action);
    }

    /**
     * Parks the next {@code operation} until the pause is resumed: a test holds one attempt mid-saga while
     * another runs.
     */
    public Pause pauseBefore(String operation) {
        Pause pause = new Pause();
        onceBefore(operation, pause::park);
        return pause;
    }

    public void clear() {
        before.clear();
        after.clear();
        onceBefore.clear();
    }

    void beforeCall(String operation) {
        Runnable once = onceBefore.remove(operation);
        if (once != null) {
            once.run();
        }
        if (before.contains(operation)) {
            throw injected(operation, "before");
        }
    }

    /** One parked call: the test waits until it is reached, then lets it go on. */
    public static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch resumed = new CountDownLatch(1);

        void park() {
            reached.countDown();
            try {
                if (!resumed.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("a paused call was never resumed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public void awaitReached() throws InterruptedException {
            if (!reached.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the paused call was never reached");
            }
        }

        public void resume() {
            resumed.countDown();
        }
    }

    void afterCall(String operation) {
        if (after.contains(operation)) {
            throw injected(operation, "after");
        }
    }

    private static DependencyUnavailableException injected(String operation, String when) {
        return new DependencyUnavailableException(
                "injected:" + operation, "injected failure " + when + " " + operation, Duration.ofSeconds(1), null);
    }
}
