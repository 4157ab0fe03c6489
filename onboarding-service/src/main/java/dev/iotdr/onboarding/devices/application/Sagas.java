package dev.iotdr.onboarding.devices.application;

import java.time.Clock;

/**
 * The three saga use cases, wired with the steps they share (starting an attempt, issuing a certificate,
 * compensation, answers), which stay inside this package.
 */
public record Sagas(OnboardingSaga onboarding, RotationSaga rotation, AbandonedSagaSweep sweep) {

    public static Sagas wire(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            RecordsElsewhere elsewhere,
            PrivateKeySealer sealer,
            CsrInspector csrs,
            ProvisioningSettings settings,
            Clock clock) {
        Compensation compensation = new Compensation(registry, records, requests, settings, clock);
        SagaStart start = new SagaStart(requests, compensation, settings, clock);
        CertificateIssuance issuance = new CertificateIssuance(registry, requests, sealer, csrs, settings);
        SagaAnswers answers = new SagaAnswers(sealer, settings);
        OnboardingSaga onboarding = new OnboardingSaga(
                registry, records, requests, elsewhere, csrs, start, issuance, compensation, answers, settings, clock);
        RotationSaga rotation =
                new RotationSaga(registry, records, csrs, start, issuance, compensation, answers, settings, clock);
        AbandonedSagaSweep sweep =
                new AbandonedSagaSweep(requests, records, onboarding, rotation, compensation, settings, clock);
        return new Sagas(onboarding, rotation, sweep);
    }
}
