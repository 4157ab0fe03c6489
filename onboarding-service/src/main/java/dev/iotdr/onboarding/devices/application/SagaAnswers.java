package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceStatus;
import java.util.Optional;

/** The answer of a completed saga: fresh from the attempt that finished it, or replayed for its key. */
final class SagaAnswers {
    private final PrivateKeySealer sealer;
    private final ProvisioningSettings settings;

    SagaAnswers(PrivateKeySealer sealer, ProvisioningSettings settings) {
        this.sealer = sealer;
        this.settings = settings;
    }

    ProvisionedDevice fresh(SagaAttempt attempt) {
        return answer(attempt.saga(), attempt.privateKey(sealer), false);
    }

    ProvisionedDevice replay(ProvisioningRequest saga) {
        Optional<String> privateKey =
                saga.privateKey().map(secret -> sealer.unseal(secret, CertificateIssuance.sealContext(saga)));
        return answer(saga, privateKey, true);
    }

    private ProvisionedDevice answer(ProvisioningRequest saga, Optional<String> privateKey, boolean replayed) {
        DeviceCertificate certificate = saga.certificate()
                .orElseThrow(() -> new IllegalStateException("completed request without certificate"))
                .withStatus(CertificateStatus.ACTIVE);
        return new ProvisionedDevice(
                saga.deviceId(),
                saga.deviceId().thingName(),
                certificate,
                privateKey,
                settings.region(),
                DeviceStatus.ACTIVE,
                saga.recordVersion(),
                replayed);
    }
}
