package dev.iotdr.shared.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Ready-made valid values for example-based tests. */
public final class DeviceFixtures {
    public static final Region US_EAST_1 = Region.of("us-east-1");
    public static final Region EU_WEST_1 = Region.of("eu-west-1");
    public static final Instant T0 = Instant.parse("2026-11-01T10:15:30.123Z");

    private DeviceFixtures() {}

    public static DeviceCertificate certificate(char fill, CertificateStatus status) {
        String id = String.valueOf(fill).repeat(64);
        return new DeviceCertificate(
                CertificateId.of(id),
                "arn:aws:iot:us-east-1:123456789012:cert/" + id,
                "-----BEGIN CERTIFICATE-----\nMIIB" + fill + "\n-----END CERTIFICATE-----\n",
                status);
    }

    public static DeviceRecord onboarded(String deviceId) {
        return DeviceRecord.onboarded(
                DeviceId.of(deviceId),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.of(Map.of("model", "th-200", "firmware", "1.4.2")),
                certificate('a', CertificateStatus.ACTIVE),
                PolicyName.of("device-policy"),
                US_EAST_1,
                T0);
    }
}
