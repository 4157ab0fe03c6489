package dev.iotdr.onboarding.config;

import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.domain.PolicyName;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * Onboarding settings ({@code iotdr.onboarding.*}).
 *
 * @param deviceTable the replicated device table
 * @param requestsTable the regional table of saga state and device claims
 * @param devicePolicy the IoT policy attached to every device certificate
 * @param thingType the thing type every device's thing gets (needed for more than three attributes)
 * @param idempotencyWindow how long a request can be replayed; server-generated keys are kept sealed that
 *     long and no longer (at most 24 h)
 * @param lease how long one attempt holds a saga
 * @param abandonedAfter when an unfinished saga is finished or undone by the sweeper
 * @param recoveryInterval how often the sweeper looks
 * @param privateKeyEncryptionKey base64 AES key (16, 24 or 32 bytes) that seals private keys at rest
 * @param privateKeyEncryptionKeyId the id stored with every sealed key, for rotation of that key
 * @param verifyIssuedCertificateKey check a CSR-issued certificate carries the CSR's key (off only on the
 *     emulator, which does not)
 * @param rootCa the PEM of the CA that signs the IoT endpoint's certificate, returned to devices; optional
 * @param maxRequestBytes the largest request body accepted
 */
@Validated
@ConfigurationProperties("iotdr.onboarding")
public record OnboardingProperties(
        @NotBlank @DefaultValue("devices") String deviceTable,
        @NotBlank @DefaultValue("onboarding-requests") String requestsTable,
        @NotBlank @DefaultValue(DevicePolicy.DEFAULT_NAME) String devicePolicy,

        @NotBlank @DefaultValue(DevicePolicy.DEFAULT_THING_TYPE)
        String thingType,

        @NotNull @DefaultValue("24h") Duration idempotencyWindow,
        @NotNull @DefaultValue("30s") Duration lease,
        @NotNull @DefaultValue("5m") Duration abandonedAfter,
        @NotNull @DefaultValue("60s") Duration recoveryInterval,
        @NotBlank String privateKeyEncryptionKey,
        @NotBlank @DefaultValue("local-1") String privateKeyEncryptionKeyId,
        @DefaultValue("true") boolean verifyIssuedCertificateKey,
        Resource rootCa,
        @Min(1024) @DefaultValue("65536") int maxRequestBytes) {

    public PolicyName policyName() {
        return PolicyName.of(devicePolicy);
    }

    @Override
    public String toString() {
        return "OnboardingProperties[deviceTable=" + deviceTable + ", requestsTable=" + requestsTable
                + ", privateKeyEncryptionKey=<redacted>]";
    }
}
