package dev.iotdr.shared.domain;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid domain values, shared by the property tests. */
public final class DeviceRecordArbitraries {
    private static final String THING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-";
    private static final String ATTRIBUTE_NAME_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,@/:#-";
    private static final String ATTRIBUTE_VALUE_CHARS = ATTRIBUTE_NAME_CHARS + "=[]";

    private DeviceRecordArbitraries() {}

    public static Arbitrary<String> thingNameStrings() {
        return Arbitraries.strings().withChars(THING_CHARS).ofMinLength(1).ofMaxLength(128);
    }

    public static Arbitrary<DeviceId> deviceIds() {
        return thingNameStrings().map(DeviceId::new);
    }

    public static Arbitrary<Region> regions() {
        return Arbitraries.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1")
                .map(Region::new);
    }

    public static Arbitrary<ThingAttributes> attributes() {
        Arbitrary<String> names = Arbitraries.strings()
                .withChars(ATTRIBUTE_NAME_CHARS)
                .ofMinLength(1)
                .ofMaxLength(128);
        Arbitrary<String> values = Arbitraries.strings()
                .withChars(ATTRIBUTE_VALUE_CHARS)
                .ofMinLength(0)
                .ofMaxLength(800);
        return Arbitraries.maps(names, values)
                .ofMaxSize(ThingAttributes.MAX_ENTRIES)
                .map(ThingAttributes::new);
    }

    public static Arbitrary<CertificateId> certificateIds() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(32)
                .map(bytes -> new CertificateId(HexFormat.of().formatHex(bytes)));
    }

    public static Arbitrary<DeviceCertificate> certificates() {
        Arbitrary<String> body = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
                .ofMinLength(4)
                .ofMaxLength(2000);
        return Combinators.combine(certificateIds(), regions(), body, Arbitraries.of(CertificateStatus.class))
                .as((id, region, base64, status) -> new DeviceCertificate(
                        id,
                        "arn:aws:iot:" + region.code() + ":123456789012:cert/" + id.value(),
                        "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n",
                        status));
    }

    public static Arbitrary<DeviceRecord> records() {
        Arbitrary<List<RetiredCertificate>> retired = Combinators.combine(
                        certificateIds(), Arbitraries.of(CertificateStatus.INACTIVE, CertificateStatus.REVOKED))
                .as(RetiredCertificate::new)
                .list()
                .ofMaxSize(DeviceRecord.MAX_RETIRED_CERTIFICATES);
        Arbitrary<Instant[]> createdAndUpdated = Combinators.combine(
                        Arbitraries.longs().between(0, 4_000_000_000_000L),
                        Arbitraries.longs().between(0, 1_000_000_000L))
                .as((epochMillis, ageMillis) -> {
                    Instant created = Instant.ofEpochMilli(epochMillis).plusNanos(1234);
                    return new Instant[] {created, created.plusMillis(ageMillis)};
                });
        return Combinators.combine(
                        deviceIds(),
                        thingNameStrings().map(ThingGroupName::new).set().ofMaxSize(DeviceRecord.MAX_THING_GROUPS),
                        attributes(),
                        certificates(),
                        retired,
                        Arbitraries.longs().between(1, Long.MAX_VALUE),
                        regions(),
                        createdAndUpdated)
                .as((id, groups, attributes, certificate, oldCertificates, version, region, times) -> {
                    DeviceStatus status = certificate.status() == CertificateStatus.ACTIVE || version % 2 == 0
                            ? DeviceStatus.ACTIVE
                            : DeviceStatus.DECOMMISSIONED;
                    return new DeviceRecord(
                            id,
                            id.thingName(),
                            groups,
                            attributes,
                            certificate,
                            oldCertificates.stream()
                                    .filter(old -> !old.id().equals(certificate.id()))
                                    .toList(),
                            PolicyName.of("device-policy"),
                            status,
                            version,
                            region,
                            times[0],
                            times[1]);
                });
    }
}
