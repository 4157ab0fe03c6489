package dev.iotdr.replication.support;

import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The origin region's side of a scenario: device records changed the way the onboarding service does. */
public final class SourceFleet {
    public static final Region ORIGIN = Region.of("us-east-1");
    public static final PolicyName POLICY = PolicyName.of("iotdr-device-policy");

    private final Map<DeviceId, DeviceRecord> current = new LinkedHashMap<>();
    private final List<DeviceRecord> written = new ArrayList<>();
    private int certificates;
    private Instant clock = Instant.parse("2026-11-01T00:00:00Z");

    /** The operations a scenario is made of. */
    public enum Operation {
        ONBOARD_OR_UPDATE,
        ROTATE,
        DECOMMISSION
    }

    /** Applies {@code operation} to device {@code index}; returns the record written, if any. */
    public Optional<DeviceRecord> apply(int index, Operation operation) {
        DeviceId device = DeviceId.of("device-" + index);
        DeviceRecord before = current.get(device);
        clock = clock.plusSeconds(1);
        DeviceRecord next =
                switch (operation) {
                    case ONBOARD_OR_UPDATE ->
                        before == null || before.isTombstone()
                                ? onboard(device, before == null ? 0 : before.version())
                                : before.withRegistryData(
                                        Set.of(ThingGroupName.of("group-" + (before.version() % 3))),
                                        ThingAttributes.of(Map.of("firmware", "v" + before.version())),
                                        ORIGIN,
                                        clock);
                    case ROTATE ->
                        before == null || before.isTombstone()
                                ? null
                                : before.withRotatedCertificate(certificate(), ORIGIN, clock);
                    case DECOMMISSION ->
                        before == null || before.isTombstone() ? null : before.decommissioned(ORIGIN, clock);
                };
        if (next == null) {
            return Optional.empty();
        }
        current.put(device, next);
        written.add(next);
        return Optional.of(next);
    }

    public Map<DeviceId, DeviceRecord> current() {
        return current;
    }

    public List<DeviceRecord> written() {
        return written;
    }

    private DeviceRecord onboard(DeviceId device, long tombstoneVersion) {
        return new DeviceRecord(
                device,
                device.thingName(),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.of(Map.of("model", "th-200")),
                certificate(),
                List.of(),
                POLICY,
                DeviceStatus.ACTIVE,
                tombstoneVersion + 1,
                ORIGIN,
                clock,
                clock);
    }

    private DeviceCertificate certificate() {
        certificates++;
        String pem = "-----BEGIN CERTIFICATE-----\nMIIcert" + certificates + "\n-----END CERTIFICATE-----\n";
        var id = InMemoryIot.idOf(pem);
        return new DeviceCertificate(
                id, "arn:aws:iot:us-east-1:123456789012:cert/" + id.value(), pem, CertificateStatus.ACTIVE);
    }
}
