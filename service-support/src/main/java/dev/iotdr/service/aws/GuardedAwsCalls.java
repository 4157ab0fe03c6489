package dev.iotdr.service.aws;

import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs an AWS SDK call paced, retried, circuit-broken and timed. Errors AWS gives for a bad request
 * (4xx other than throttling) pass through unchanged for the adapter to interpret; everything that means
 * "not now" becomes a {@link DependencyUnavailableException}.
 */
public final class GuardedAwsCalls {
    private static final Duration RETRY_AFTER_UNREACHABLE = Duration.ofSeconds(5);
    private static final Duration RETRY_AFTER_BUSY = Duration.ofSeconds(1);

    private final Map<AwsApi, RateLimiter> paces = new EnumMap<>(AwsApi.class);
    private final Map<AwsService, CircuitBreaker> breakers = new EnumMap<>(AwsService.class);
    private final Retry retry;
    private final MeterRegistry meters;
    private final AwsCallSettings settings;

    public GuardedAwsCalls(AwsCallSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        for (AwsApi api : AwsApi.values()) {
            double tps = settings.quotaPerSecond(api);
            if (tps > 0) {
                paces.put(
                        api,
                        RateLimiter.of(
                                api.name(),
                                RateLimiterConfig.custom()
                                        .limitForPeriod(1)
                                        .limitRefreshPeriod(Duration.ofNanos((long) (1_000_000_000L / tps)))
                                        .timeoutDuration(settings.maxWaitForPermit())
                                        .build()));
            }
        }
        for (AwsService service : AwsService.values()) {
            breakers.put(
                    service,
                    CircuitBreaker.of(
                            service.id(),
                            CircuitBreakerConfig.custom()
                                    .slidingWindowSize(20)
                                    .minimumNumberOfCalls(10)
                                    .failureRateThreshold(50)
                                    .waitDurationInOpenState(settings.circuitOpenFor())
                                    .permittedNumberOfCallsInHalfOpenState(3)
                                    .recordException(GuardedAwsCalls::isOutage)
                                    .build()));
        }
        this.retry = Retry.of(
                "aws",
                RetryConfig.custom()
                        .maxAttempts(settings.maxAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                settings.initialBackoff(), 2.0, 0.5, settings.maxBackoff()))
                        .retryOnException(GuardedAwsCalls::isTransient)
                        .build());
    }

    /** Runs {@code call} as {@code api}: paced, retried on transient failures, broken on outages, timed. */
    public <T> T call(AwsApi api, Supplier<T> call) {
        Supplier<T> guarded = call;
        RateLimiter pace = paces.get(api);
        if (pace != null) {
            guarded = RateLimiter.decorateSupplier(pace, guarded);
        }
        guarded = Retry.decorateSupplier(retry, guarded);
        guarded = CircuitBreaker.decorateSupplier(breakers.get(api.service()), guarded);
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            return guarded.get();
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw translate(api, e);
        } finally {
            sample.stop(Timer.builder("iotdr.aws.calls")
                    .description("AWS SDK calls by API and outcome, retries included")
                    .tag("service", api.service().id())
                    .tag("api", api.operation())
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    /** Like {@link #call} for calls that return nothing. */
    public void run(AwsApi api, Runnable call) {
        call(api, () -> {
            call.run();
            return null;
        });
    }

    static boolean isTransient(Throwable failure) {
        if (failure instanceof RegionUnavailableException) {
            return false; // nothing answers: retrying only delays the 503 the caller needs now
        }
        if (failure instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500 || service.statusCode() == 429;
        }
        return failure instanceof SdkClientException;
    }

    static boolean isOutage(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            return service.statusCode() >= 500;
        }
        return failure instanceof SdkClientException;
    }

    private static String outcome(RuntimeException e) {
        if (e instanceof RequestNotPermitted || e instanceof CallNotPermittedException) {
            return "rejected";
        }
        if (e instanceof RegionUnavailableException) {
            return "unavailable";
        }
        if (e instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return "throttled";
            }
            return service.statusCode() >= 500 ? "server_error" : "client_error";
        }
        return e instanceof SdkClientException ? "client_failure" : "error";
    }

    private RuntimeException translate(AwsApi api, RuntimeException e) {
        String dependency = api.service().id() + ":" + api.operation();
        if (e instanceof RegionUnavailableException unavailable) {
            return new DependencyUnavailableException(
                    dependency, unavailable.getMessage(), RETRY_AFTER_UNREACHABLE, unavailable);
        }
        if (e instanceof CallNotPermittedException open) {
            return new DependencyUnavailableException(
                    dependency,
                    api.service().id() + " is failing; calls are paused for " + settings.circuitOpenFor(),
                    settings.circuitOpenFor(),
                    open);
        }
        if (e instanceof RequestNotPermitted paced) {
            return new DependencyUnavailableException(
                    dependency,
                    api.operation() + " is at its pace (" + settings.quotaPerSecond(api) + "/s); try again shortly",
                    RETRY_AFTER_BUSY,
                    paced);
        }
        if (isTransient(e)) {
            return new DependencyUnavailableException(
                    dependency,
                    api.operation() + " failed after " + settings.maxAttempts() + " attempts: " + e.getMessage(),
                    RETRY_AFTER_BUSY,
                    e);
        }
        return e;
    }
}
