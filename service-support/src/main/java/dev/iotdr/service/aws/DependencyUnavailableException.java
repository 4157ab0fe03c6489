package dev.iotdr.service.aws;

import java.time.Duration;

/**
 * AWS cannot serve this call now (region unreachable, throttled or failing after retries, circuit open,
 * pacing queue full). Nothing was lost: the caller should retry after {@link #retryAfter()}.
 */
public class DependencyUnavailableException extends RuntimeException {
    private final String dependency;
    private final Duration retryAfter;

    public DependencyUnavailableException(String dependency, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
        this.retryAfter = retryAfter;
    }

    /** Which dependency, e.g. {@code iot:AttachPolicy}. */
    public String dependency() {
        return dependency;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
