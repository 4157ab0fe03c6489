package dev.iotdr.replication.support;

import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.ThingName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What "the target registry holds exactly the expected state" means, as a list of violations. */
public final class Convergence {
    private Convergence() {}

    public static List<String> violations(
            Map<DeviceId, DeviceRecord> expected, List<DeviceRecord> everWritten, InMemoryIot target) {
        List<String> problems = new ArrayList<>();
        Set<ThingName> live = expected.values().stream()
                .filter(record -> !record.isTombstone())
                .map(DeviceRecord::thingName)
                .collect(Collectors.toSet());
        for (ThingName thing : target.things().keySet()) {
            if (!live.contains(thing)) {
                problems.add("extra thing " + thing);
            }
        }
        for (DeviceRecord record : expected.values()) {
            if (record.isTombstone()) {
                continue;
            }
            InMemoryIot.Thing thing = target.things().get(record.thingName());
            if (thing == null) {
                problems.add("missing thing " + record.thingName());
                continue;
            }
            if (!thing.attributes().equals(record.attributes())) {
                problems.add("stale attributes on " + record.thingName() + ": " + thing.attributes() + " != "
                        + record.attributes());
            }
            if (!thing.groups().equals(record.thingGroups())) {
                problems.add("stale groups on " + record.thingName() + ": " + thing.groups() + " != "
                        + record.thingGroups());
            }
            InMemoryIot.Certificate certificate =
                    target.certificates().get(record.certificate().id());
            if (certificate == null || certificate.status() != CertificateStatus.ACTIVE) {
                problems.add("current certificate of " + record.deviceId() + " not registered ACTIVE");
                continue;
            }
            if (!thing.principals().equals(Set.of(certificate.arn()))) {
                problems.add("principals of " + record.thingName() + " are " + thing.principals() + ", expected only "
                        + certificate.arn());
            }
            if (!target.policiesOf(certificate.arn())
                    .contains(record.policyName().value())) {
                problems.add("policy not attached to " + record.deviceId() + "'s certificate");
            }
        }
        // No certificate a device no longer uses may still work here.
        Set<CertificateId> current = expected.values().stream()
                .filter(record -> !record.isTombstone())
                .map(record -> record.certificate().id())
                .collect(Collectors.toSet());
        for (DeviceRecord record : everWritten) {
            CertificateId id = record.certificate().id();
            InMemoryIot.Certificate registered = target.certificates().get(id);
            if (!current.contains(id) && registered != null && registered.status() == CertificateStatus.ACTIVE) {
                problems.add("retired certificate " + id + " of " + record.deviceId() + " is still ACTIVE");
            }
        }
        return problems;
    }
}
