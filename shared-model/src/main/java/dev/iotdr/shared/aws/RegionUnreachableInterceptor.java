package dev.iotdr.shared.aws;

import dev.iotdr.shared.domain.Region;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Turns "nothing answered" failures (after the SDK's retries) into a {@link RegionUnavailableException} that
 * names the region, the service and the endpoint.
 */
final class RegionUnreachableInterceptor implements ExecutionInterceptor {
    private final Region region;
    private final AwsService service;
    private final Optional<URI> endpoint;

    RegionUnreachableInterceptor(Region region, AwsService service, Optional<URI> endpoint) {
        this.region = region;
        this.service = service;
        this.endpoint = endpoint;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Throwable failure = context.exception();
        if (failure instanceof RegionUnavailableException || !unreachable(failure)) {
            return failure;
        }
        return RegionUnavailableException.of(region, service, endpoint, failure);
    }

    static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }
}
