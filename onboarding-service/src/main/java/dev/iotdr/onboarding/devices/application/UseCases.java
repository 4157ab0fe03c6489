package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** The incoming ports of the devices feature, with their commands and results. */
public final class UseCases {
    private UseCases() {}

    /** Brings a device into the fleet in this region. */
    public interface OnboardDevice {
        ProvisionedDevice onboard(OnboardDeviceCommand command);
    }

    /** Gives a device a new certificate and retires the old one. */
    public interface RotateCertificate {
        ProvisionedDevice rotate(RotateCertificateCommand command);
    }

    /** Removes a device from the fleet, leaving a tombstone record. */
    public interface DecommissionDevice {
        DeviceRecord decommission(DeviceId device);
    }

    /** Reads device records; never private key material. */
    public interface ReadDevices {
        DeviceRecord get(DeviceId device);

        DeviceRecords.Page list(int limit, Optional<String> cursor);
    }

    /** Finishes or undoes sagas whose caller went away. */
    public interface RecoverAbandonedRequests {
        /** @return how many sagas were finished or undone */
        int recoverAbandoned();
    }

    /** Onboard {@code deviceId} into {@code thingGroup}; with a CSR the key stays on the device. */
    public record OnboardDeviceCommand(
            IdempotencyKey key,
            DeviceId deviceId,
            ThingGroupName thingGroup,
            ThingAttributes attributes,
            Optional<String> csrPem) {

        /** Equal for equal requests, whatever the JSON's formatting or attribute order. */
        public String fingerprint() {
            StringBuilder canonical = new StringBuilder("ONBOARD");
            field(canonical, deviceId.value());
            field(canonical, thingGroup.value());
            attributes.values().forEach((name, value) -> {
                field(canonical, name);
                field(canonical, value);
            });
            field(canonical, csrPem.map(UseCases::normalizePem).orElse("-"));
            return sha256(canonical.toString());
        }
    }

    /** Rotate the certificate of {@code deviceId}; with a CSR the key stays on the device. */
    public record RotateCertificateCommand(IdempotencyKey key, DeviceId deviceId, Optional<String> csrPem) {
        public String fingerprint() {
            StringBuilder canonical = new StringBuilder("ROTATE");
            field(canonical, deviceId.value());
            field(canonical, csrPem.map(UseCases::normalizePem).orElse("-"));
            return sha256(canonical.toString());
        }
    }

    /**
     * What an onboarding or rotation produced. {@code privateKeyPem} is present only for a server-generated
     * key, and only in this answer (and its replays).
     */
    public record ProvisionedDevice(
            DeviceId deviceId,
            ThingName thingName,
            DeviceCertificate certificate,
            Optional<String> privateKeyPem,
            Region region,
            DeviceStatus status,
            long version,
            boolean replayed) {
        @Override
        public String toString() {
            return "ProvisionedDevice[" + deviceId + ", certificate=" + certificate.id() + ", version=" + version
                    + ", replayed=" + replayed + "]";
        }
    }

    private static void field(StringBuilder canonical, String value) {
        canonical.append('\u0000').append(value.length()).append(':').append(value);
    }

    private static String normalizePem(String pem) {
        return pem.replaceAll("\\s+", "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
