package dev.iotdr.shared.aws;

import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A call that could not reach a region's service at all: nothing answered at its endpoint. Distinct from an
 * error the service returned, so that callers answer 503 and probes count an outage.
 */
public final class RegionUnavailableException extends SdkClientException {
    private final transient Region region;
    private final AwsService service;

    private RegionUnavailableException(Builder builder, Region region, AwsService service) {
        super(builder);
        this.region = region;
        this.service = service;
    }

    public static RegionUnavailableException of(
            Region region, AwsService service, Optional<URI> endpoint, Throwable cause) {
        String where = endpoint.map(uri -> " at " + uri).orElse("");
        String message = service.id() + " in " + region + " is unreachable" + where + ": " + rootMessage(cause);
        return new RegionUnavailableException(
                SdkClientException.builder().message(message).cause(cause), region, service);
    }

    public Region region() {
        return region;
    }

    public AwsService service() {
        return service;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }
}
