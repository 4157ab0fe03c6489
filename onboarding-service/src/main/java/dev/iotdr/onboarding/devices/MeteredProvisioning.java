package dev.iotdr.onboarding.devices;

import dev.iotdr.onboarding.devices.application.Problems;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDevice;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDeviceCommand;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificate;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificateCommand;
import dev.iotdr.service.aws.DependencyUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * Counts onboardings and rotations by outcome and times them (histogram), around the use cases, so that
 * the sagas stay free of metrics code.
 */
final class MeteredProvisioning implements OnboardDevice, RotateCertificate {
    private final OnboardDevice onboarding;
    private final RotateCertificate rotation;
    private final MeterRegistry meters;

    MeteredProvisioning(OnboardDevice onboarding, RotateCertificate rotation, MeterRegistry meters) {
        this.onboarding = onboarding;
        this.rotation = rotation;
        this.meters = meters;
    }

    @Override
    public ProvisionedDevice onboard(OnboardDeviceCommand command) {
        return measure("onboard", () -> onboarding.onboard(command));
    }

    @Override
    public ProvisionedDevice rotate(RotateCertificateCommand command) {
        return measure("rotate", () -> rotation.rotate(command));
    }

    private ProvisionedDevice measure(String operation, Supplier<ProvisionedDevice> work) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            ProvisionedDevice result = work.get();
            outcome = result.replayed() ? "replayed" : "created";
            return result;
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw e;
        } finally {
            sample.stop(Timer.builder("iotdr.onboarding.requests")
                    .description("onboarding and rotation requests by outcome, with latency")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    private static String outcome(RuntimeException e) {
        if (e instanceof DependencyUnavailableException) {
            return "unavailable";
        }
        if (e instanceof Problems.DeviceAlreadyRegistered
                || e instanceof Problems.DeviceStateConflict
                || e instanceof Problems.RequestInProgress) {
            return "conflict";
        }
        if (e instanceof Problems.IdempotencyKeyReused
                || e instanceof Problems.InvalidCsr
                || e instanceof Problems.DeviceNotFound
                || e instanceof IllegalArgumentException) {
            return "rejected";
        }
        return "error";
    }
}
