package dev.iotdr.service.aws;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How calls to AWS are paced and retried ({@code iotdr.aws-calls.*}).
 *
 * @param quotas transactions per second per API, by AWS operation name ({@code AttachPolicy: 15}); overrides
 *     the defaults in {@link AwsApi}. With several instances in a region, give each its share.
 * @param maxWaitForPermit how long a call may queue for its pace before the request answers 503
 * @param maxAttempts attempts per call, first included, for throttling, 5xx and timeouts
 * @param initialBackoff the first retry's base delay; doubles each time, with ±50 % jitter
 * @param maxBackoff the longest delay between attempts
 * @param circuitOpenFor how long a service that keeps failing is not called at all
 */
@Validated
@ConfigurationProperties("iotdr.aws-calls")
public record AwsCallSettings(
        @DefaultValue Map<String, Double> quotas,
        @NotNull @DefaultValue("5s") Duration maxWaitForPermit,
        @Min(1) @DefaultValue("4") int maxAttempts,
        @NotNull @DefaultValue("100ms") Duration initialBackoff,
        @NotNull @DefaultValue("2s") Duration maxBackoff,
        @NotNull @DefaultValue("5s") Duration circuitOpenFor) {

    public AwsCallSettings {
        quotas = Map.copyOf(quotas);
        quotas.forEach((operation, tps) -> {
            if (tps == null || tps <= 0) {
                throw new IllegalArgumentException("iotdr.aws-calls.quotas." + operation + " must be positive");
            }
        });
    }

    public double quotaPerSecond(AwsApi api) {
        return quotas.getOrDefault(api.operation(), api.defaultQuotaPerSecond());
    }
}
