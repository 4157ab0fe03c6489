package dev.iotdr.shared.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything another region needs to rebuild a device's identity without asking the region it came from:
 * the row of the device table, replicated to every region.
 *
 * <p>{@code version} grows by one with every change, whichever region makes it; {@code originRegion} is the
 * region that wrote this version (global tables carry no such marker, so we do). A decommissioned device is a
 * tombstone with a higher version, never a deleted row. {@code retiredCertificates} lists certificates rotated
 * out, newest last, at most {@value #MAX_RETIRED_CERTIFICATES}, so that other regions deactivate them too.
 *
 * <p>Two regions may write the same version at once (both accept the device around a failover); {@link
 * #PRECEDENCE} decides, the same way everywhere, which of them every region keeps.
 */
public record DeviceRecord(
        DeviceId deviceId,
        ThingName thingName,
        Set<ThingGroupName> thingGroups,
        ThingAttributes attributes,
        DeviceCertificate certificate,
        List<RetiredCertificate> retiredCertificates,
        PolicyName policyName,
        DeviceStatus status,
        long version,
        Region originRegion,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_THING_GROUPS = 10;
    public static final int MAX_RETIRED_CERTIFICATES = 20;

    /**
     * Which of two records of one device wins, the same in every region: the higher version; at an equal
     * version, a tombstone over a live record, then the higher origin region code, then the higher certificate
     * id. A total order on (version, status, origin region, certificate id), which one region's table never
     * holds twice. Status, region and id compare as strings, as a condition expression on the device table
     * compares them, so a conditional table write and this order always agree.
     */
    public static final Comparator<DeviceRecord> PRECEDENCE = Comparator.comparingLong(DeviceRecord::version)
            .thenComparing(record -> record.status().name())
            .thenComparing(record -> record.originRegion().code())
            .thenComparing(record -> record.certificate().id().value());

    public DeviceRecord {
        Checks.required("device id", deviceId);
        Checks.required("thing name", thingName);
        Checks.required("thing groups", thingGroups);
        if (thingGroups.size() > MAX_THING_GROUPS) {
            throw new IllegalArgumentException(
                    "a device may belong to at most " + MAX_THING_GROUPS + " thing groups, got " + thingGroups.size());
        }
        thingGroups = Collections.unmodifiableSortedSet(new TreeSet<>(thingGroups));
        Checks.required("attributes", attributes);
        Checks.required("certificate", certificate);
        Checks.required("retired certificates", retiredCertificates);
        if (retiredCertificates.size() > MAX_RETIRED_CERTIFICATES) {
            throw new IllegalArgumentException("at most " + MAX_RETIRED_CERTIFICATES
                    + " retired certificates are kept, got " + retiredCertificates.size());
        }
        retiredCertificates = List.copyOf(retiredCertificates);
        if (retiredCertificates.stream().anyMatch(retired -> retired.id().equals(certificate.id()))) {
            throw new IllegalArgumentException("certificate " + certificate.id() + " is both current and retired");
        }
        Checks.required("policy name", policyName);
        Checks.required("status", status);
        if (status == DeviceStatus.DECOMMISSIONED && certificate.status() == CertificateStatus.ACTIVE) {
            throw new IllegalArgumentException("a decommissioned device cannot keep an ACTIVE certificate");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        Checks.required("origin region", originRegion);
        Checks.required("created at", createdAt);
        Checks.required("updated at", updatedAt);
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("updated at " + updatedAt + " is before created at " + createdAt);
        }
    }

    /** The first version of a device's record, written by the region that onboarded it. */
    public static DeviceRecord onboarded(
            DeviceId deviceId,
            Set<ThingGroupName> thingGroups,
            ThingAttributes attributes,
            DeviceCertificate certificate,
            PolicyName policyName,
            Region region,
            Instant at) {
        return new DeviceRecord(
                deviceId,
                deviceId.thingName(),
                thingGroups,
                attributes,
                certificate,
                List.of(),
                policyName,
                DeviceStatus.ACTIVE,
                1,
                region,
                at,
                at);
    }

    public boolean isTombstone() {
        return status == DeviceStatus.DECOMMISSIONED;
    }

    /** Whether this record should replace {@code other} of the same device: it ranks higher in {@link #PRECEDENCE}. */
    public boolean supersedes(DeviceRecord other) {
        if (!deviceId.equals(other.deviceId)) {
            throw new IllegalArgumentException("cannot compare records of " + deviceId + " and " + other.deviceId);
        }
        return PRECEDENCE.compare(this, other) > 0;
    }

    /** This record's {@link #tieKey(DeviceStatus, Region, CertificateId) tie key}. */
    public String tieKey() {
        return tieKey(status, originRegion, certificate.id());
    }

    /**
     * A record's place among records of its version as one string, for stores that keep which record they
     * hold: status, origin region and certificate id joined by {@code #}. Strings of the same version's records
     * sort as {@link #PRECEDENCE} sorts the records, because {@code #} sorts below every character the parts
     * hold (a region code that is a prefix of another sorts first, as it does alone).
     */
    public static String tieKey(DeviceStatus status, Region originRegion, CertificateId certificate) {
        return status.name() + "#" + originRegion.code() + "#" + certificate.value();
    }

    /** The tombstone that follows this record: certificate deactivated, device decommissioned. */
    public DeviceRecord decommissioned(Region region, Instant at) {
        if (isTombstone()) {
            throw new IllegalStateException("device " + deviceId + " is already decommissioned");
        }
        DeviceCertificate deactivated = certificate.status() == CertificateStatus.ACTIVE
                ? certificate.withStatus(CertificateStatus.INACTIVE)
                : certificate;
        return next(deactivated, retiredCertificates, DeviceStatus.DECOMMISSIONED, region, at);
    }

    /** The record after a rotation: {@code replacement} is current, the old certificate retired and inactive. */
    public DeviceRecord withRotatedCertificate(DeviceCertificate replacement, Region region, Instant at) {
        if (isTombstone()) {
            throw new IllegalStateException("device " + deviceId + " is decommissioned; its certificate cannot rotate");
        }
        if (replacement.id().equals(certificate.id())) {
            throw new IllegalArgumentException(
                    "rotation needs a new certificate, got the current one " + certificate.id());
        }
        CertificateStatus retiredStatus = certificate.status() == CertificateStatus.REVOKED
                ? CertificateStatus.REVOKED
                : CertificateStatus.INACTIVE;
        List<RetiredCertificate> retired = new ArrayList<>(retiredCertificates);
        retired.removeIf(old -> old.id().equals(replacement.id()));
        retired.add(new RetiredCertificate(certificate.id(), retiredStatus));
        while (retired.size() > MAX_RETIRED_CERTIFICATES) {
            retired.removeFirst();
        }
        return next(replacement, retired, DeviceStatus.ACTIVE, region, at);
    }

    /** The record with new attributes and groups, as another version. */
    public DeviceRecord withRegistryData(
            Set<ThingGroupName> newGroups, ThingAttributes newAttributes, Region region, Instant at) {
        if (isTombstone()) {
            throw new IllegalStateException("device " + deviceId + " is decommissioned");
        }
        return new DeviceRecord(
                deviceId,
                thingName,
                newGroups,
                newAttributes,
                certificate,
                retiredCertificates,
                policyName,
                status,
                version + 1,
                region,
                createdAt,
                later(at));
    }

    private DeviceRecord next(
            DeviceCertificate newCertificate,
            List<RetiredCertificate> retired,
            DeviceStatus newStatus,
            Region region,
            Instant at) {
        return new DeviceRecord(
                deviceId,
                thingName,
                thingGroups,
                attributes,
                newCertificate,
                retired,
                policyName,
                newStatus,
                version + 1,
                region,
                createdAt,
                later(at));
    }

    /** Clocks differ between regions; a record's updatedAt never goes back. */
    private Instant later(Instant at) {
        return at.isAfter(updatedAt) ? at : updatedAt;
    }
}
