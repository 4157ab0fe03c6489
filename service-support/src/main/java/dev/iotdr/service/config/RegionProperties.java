package dev.iotdr.service.config;

import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * Where this instance runs and how it reaches AWS ({@code iotdr.*}).
 *
 * @param region the region this instance serves; it provisions only there
 * @param topology every region of the fleet, primary first
 * @param domain the fleet's DNS domain; devices and apps see only {@code iot.} and {@code api.} names under it
 * @param aws endpoint overrides and credentials; empty means real AWS with the default credentials chain
 */
@Validated
@ConfigurationProperties("iotdr")
public record RegionProperties(
        @NotBlank String region,
        @NotEmpty List<String> topology,
        @NotBlank String domain,
        Aws aws) {

    public RegionProperties {
        aws = aws == null ? new Aws(Map.of(), Map.of(), null, null, null, null) : aws;
        // Fail at startup, with the reason, rather than on the first request.
        RegionTopology parsed =
                new RegionTopology(topology.stream().map(Region::of).toList());
        if (!parsed.contains(Region.of(region))) {
            throw new IllegalArgumentException("iotdr.region " + region + " is not in iotdr.topology " + topology);
        }
        FleetDomain.of(domain);
    }

    public Region self() {
        return Region.of(region);
    }

    public RegionTopology regionTopology() {
        return new RegionTopology(topology.stream().map(Region::of).toList());
    }

    public FleetDomain fleetDomain() {
        return FleetDomain.of(domain);
    }

    /**
     * How to reach AWS.
     *
     * @param endpoints an endpoint per region code for every service there (an emulator or LocalStack)
     * @param serviceEndpoints per region code, per service id ({@code iot}, {@code dynamodb}, ...)
     * @param globalEndpoint the endpoint of Route 53
     * @param accessKeyId static credentials (emulators); unset means the default credentials chain
     * @param secretAccessKey static credentials (emulators)
     * @param connectTimeout how long to wait for a connection; default 2 s
     */
    public record Aws(
            Map<String, URI> endpoints,
            Map<String, Map<String, URI>> serviceEndpoints,
            URI globalEndpoint,
            String accessKeyId,
            String secretAccessKey,
            Duration connectTimeout) {

        public Aws {
            endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
            serviceEndpoints = serviceEndpoints == null ? Map.of() : Map.copyOf(serviceEndpoints);
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new IllegalArgumentException(
                        "iotdr.aws.access-key-id and secret-access-key go together; set both or neither");
            }
        }

        /**
         * Client settings with the SDK's own retries off: retries, backoff and pacing happen once, in
         * {@link dev.iotdr.service.aws.GuardedAwsCalls}, instead of multiplying.
         */
        public AwsClientSettings toClientSettings() {
            AwsClientSettings defaults = AwsClientSettings.awsDefaults();
            Map<Region, URI> byRegion = new HashMap<>();
            endpoints.forEach((code, uri) -> byRegion.put(Region.of(code), uri));
            Map<Region, Map<AwsService, URI>> byService = new HashMap<>();
            serviceEndpoints.forEach((code, services) -> {
                Map<AwsService, URI> converted = new EnumMap<>(AwsService.class);
                services.forEach((id, uri) -> converted.put(AwsService.fromId(id), uri));
                byService.put(Region.of(code), converted);
            });
            return new AwsClientSettings(
                    byRegion,
                    byService,
                    Optional.ofNullable(globalEndpoint),
                    accessKeyId == null
                            ? DefaultCredentialsProvider.builder().build()
                            : StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)),
                    connectTimeout == null ? defaults.connectTimeout() : connectTimeout,
                    defaults.apiCallAttemptTimeout(),
                    defaults.apiCallTimeout(),
                    RetryMode.STANDARD,
                    1);
        }
    }
}
