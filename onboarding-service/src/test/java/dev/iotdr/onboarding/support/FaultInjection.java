package dev.iotdr.onboarding.support;

import dev.iotdr.service.aws.DependencyUnavailableException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    public void clear() {
        before.clear();
        after.clear();
    }

    void beforeCall(String operation) {
        if (before.contains(operation)) {
            throw injected(operation, "before");
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
