package dev.iotdr.shared.aws;

import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * How to reach AWS: endpoint overrides, credentials, timeouts and retries. Without overrides the SDK's own
 * endpoints are used (real AWS); the local stack overrides every region with its emulator.
 *
 * @param regionEndpoints an endpoint for every service of a region (the local stack: one emulator a region)
 * @param serviceEndpoints an endpoint for one service of one region; wins over {@code regionEndpoints}
 * @param globalEndpoint the endpoint of global services (Route 53); empty means AWS's own
 * @param credentials where credentials come from
 * @param connectTimeout how long to wait for a TCP connection; a dead region must fail fast
 * @param apiCallAttemptTimeout the bound on one HTTP attempt
 * @param apiCallTimeout the bound on a whole call, retries included
 * @param retryMode the SDK retry strategy (STANDARD backs off with jitter; ADAPTIVE also rate-limits)
 * @param maxAttempts attempts per call, first included
 */
public record AwsClientSettings(
        Map<Region, URI> regionEndpoints,
        Map<Region, Map<AwsService, URI>> serviceEndpoints,
        Optional<URI> globalEndpoint,
        AwsCredentialsProvider credentials,
        Duration connectTimeout,
        Duration apiCallAttemptTimeout,
        Duration apiCallTimeout,
        RetryMode retryMode,
        int maxAttempts) {

    public AwsClientSettings {
        regionEndpoints = Map.copyOf(require(regionEndpoints, "region endpoints"));
        Map<Region, Map<AwsService, URI>> copy = new HashMap<>();
        require(serviceEndpoints, "service endpoints").forEach((region, byService) -> {
            if (byService.keySet().stream().anyMatch(AwsService::isGlobal)) {
                throw new IllegalArgumentException(
                        "a global service's endpoint is the global endpoint, not one of region " + region);
            }
            copy.put(region, Map.copyOf(new EnumMap<>(byService)));
        });
        serviceEndpoints = Map.copyOf(copy);
        require(globalEndpoint, "global endpoint");
        require(credentials, "credentials");
        positive(connectTimeout, "connect timeout");
        positive(apiCallAttemptTimeout, "API call attempt timeout");
        positive(apiCallTimeout, "API call timeout");
        if (apiCallTimeout.compareTo(apiCallAttemptTimeout) < 0) {
            throw new IllegalArgumentException("API call timeout " + apiCallTimeout
                    + " must be at least the attempt timeout " + apiCallAttemptTimeout);
        }
        require(retryMode, "retry mode");
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("max attempts must be 1 to 10, was " + maxAttempts);
        }
        regionEndpoints.values().forEach(AwsClientSettings::checkEndpoint);
        serviceEndpoints.values().forEach(byService -> byService.values().forEach(AwsClientSettings::checkEndpoint));
        globalEndpoint.ifPresent(AwsClientSettings::checkEndpoint);
    }

    /** Real AWS: the SDK's endpoints and the default credentials chain, standard retries. */
    public static AwsClientSettings awsDefaults() {
        return new AwsClientSettings(
                Map.of(),
                Map.of(),
                Optional.empty(),
                DefaultCredentialsProvider.builder().build(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                RetryMode.STANDARD,
                3);
    }

    /**
     * An emulator per region plus one for global services, with the dummy credentials emulators accept and
     * short timeouts, so that a stopped emulator is an outage that is noticed at once.
     */
    public static AwsClientSettings emulated(Map<Region, URI> regionEndpoints, URI globalEndpoint) {
        return new AwsClientSettings(
                regionEndpoints,
                Map.of(),
                Optional.of(globalEndpoint),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                RetryMode.STANDARD,
                3);
    }

    /** The endpoint override for {@code service} in {@code region}, if any. */
    public Optional<URI> endpoint(AwsService service, Region region) {
        if (service.isGlobal()) {
            return globalEndpoint;
        }
        URI specific = serviceEndpoints.getOrDefault(region, Map.of()).get(service);
        return Optional.ofNullable(specific != null ? specific : regionEndpoints.get(region));
    }

    /** Whether any endpoint is overridden: an emulator, which wants path-style S3 addressing. */
    public boolean emulated() {
        return !regionEndpoints.isEmpty() || !serviceEndpoints.isEmpty() || globalEndpoint.isPresent();
    }

    /** The same endpoints and credentials with other timeouts (health probes want short ones). */
    public AwsClientSettings withTimeouts(Duration connect, Duration attempt, Duration call) {
        return new AwsClientSettings(
                regionEndpoints,
                serviceEndpoints,
                globalEndpoint,
                credentials,
                connect,
                attempt,
                call,
                retryMode,
                maxAttempts);
    }

    public AwsClientSettings withRetries(RetryMode mode, int attempts) {
        return new AwsClientSettings(
                regionEndpoints,
                serviceEndpoints,
                globalEndpoint,
                credentials,
                connectTimeout,
                apiCallAttemptTimeout,
                apiCallTimeout,
                mode,
                attempts);
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    private static void positive(Duration value, String what) {
        if (require(value, what).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
    }

    private static void checkEndpoint(URI endpoint) {
        if (endpoint.getScheme() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))
                || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an absolute http(s) URL, was " + endpoint);
        }
    }
}
