package dev.iotdr.onboarding.devices;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.devices.adapter.out.crypto.AesGcmPrivateKeySealer;
import dev.iotdr.onboarding.devices.application.CsrInspector;
import dev.iotdr.onboarding.devices.application.DeviceDecommissioning;
import dev.iotdr.onboarding.devices.application.DeviceQueries;
import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.onboarding.devices.application.PrivateKeySealer;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests;
import dev.iotdr.onboarding.devices.application.ProvisioningSettings;
import dev.iotdr.onboarding.devices.application.RecordsElsewhere;
import dev.iotdr.onboarding.devices.application.Sagas;
import dev.iotdr.onboarding.devices.application.UseCases.DecommissionDevice;
import dev.iotdr.onboarding.devices.application.UseCases.ReadDevices;
import dev.iotdr.onboarding.devices.application.UseCases.RecoverAbandonedRequests;
import dev.iotdr.service.config.RegionProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.annotation.Scheduled;

/** Assembles the devices use cases from their ports, explicitly. */
@Configuration(proxyBeanMethods = false)
public class DevicesConfiguration {

    @Bean
    PrivateKeySealer privateKeySealer(OnboardingProperties onboarding) {
        return AesGcmPrivateKeySealer.fromBase64(
                onboarding.privateKeyEncryptionKeyId(), onboarding.privateKeyEncryptionKey());
    }

    @Bean
    ProvisioningSettings provisioningSettings(RegionProperties region, OnboardingProperties onboarding) {
        return new ProvisioningSettings(
                region.self(),
                onboarding.policyName(),
                onboarding.idempotencyWindow(),
                onboarding.lease(),
                onboarding.abandonedAfter(),
                onboarding.verifyIssuedCertificateKey());
    }

    @Bean
    Sagas sagas(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            RecordsElsewhere elsewhere,
            PrivateKeySealer sealer,
            ProvisioningSettings settings,
            Clock clock) {
        return Sagas.wire(registry, records, requests, elsewhere, sealer, new CsrInspector(), settings, clock);
    }

    /** The onboarding and rotation use cases the web adapter sees: the sagas, metered. */
    @Bean
    @Primary
    MeteredProvisioning provisioning(Sagas sagas, MeterRegistry meters) {
        return new MeteredProvisioning(sagas.onboarding(), sagas.rotation(), meters);
    }

    @Bean
    RecoverAbandonedRequests recoverAbandonedRequests(Sagas sagas) {
        return sagas.sweep();
    }

    @Bean
    DecommissionDevice decommissionDevice(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            ProvisioningSettings settings,
            Clock clock) {
        return new DeviceDecommissioning(registry, records, requests, settings, clock);
    }

    @Bean
    ReadDevices readDevices(DeviceRecords records) {
        return new DeviceQueries(records);
    }

    @Bean
    AbandonedRequestSweeper abandonedRequestSweeper(RecoverAbandonedRequests recovery) {
        return new AbandonedRequestSweeper(recovery);
    }

    /** Finishes or undoes sagas whose callers went away, on a schedule. */
    static final class AbandonedRequestSweeper {
        private final RecoverAbandonedRequests recovery;

        AbandonedRequestSweeper(RecoverAbandonedRequests recovery) {
            this.recovery = recovery;
        }

        @Scheduled(
                initialDelayString = "${iotdr.onboarding.recovery-interval:60s}",
                fixedDelayString = "${iotdr.onboarding.recovery-interval:60s}")
        void sweep() {
            try {
                recovery.recoverAbandoned();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(AbandonedRequestSweeper.class)
                        .warn("abandoned-request sweep failed; next run retries: {}", e.getMessage());
            }
        }
    }
}
