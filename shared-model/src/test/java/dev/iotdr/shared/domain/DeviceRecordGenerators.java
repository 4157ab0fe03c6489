package dev.iotdr.shared.domain;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** QuickTheories generators of valid domain values, shared by the property tests. */
public final class DeviceRecordGenerators {
    private static final String THING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-";
    private static final String ATTRIBUTE_NAME_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,@/:#-";
    private static final String ATTRIBUTE_VALUE_CHARS = ATTRIBUTE_NAME_CHARS + "=[]";
    private static final String BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    /**
     * Every UTF-16 character of the Basic Multilingual Plane except surrogates, private-use characters and
     * noncharacters: what "any text" means in the property tests.
     */
    private static final String TEXT_CHARS = IntStream.rangeClosed(Character.MIN_VALUE, Character.MAX_VALUE)
            .filter(c -> !Character.isSurrogate((char) c))
            .filter(c -> c < 0xE000 || c > 0xF8FF) // private use
            .filter(c -> (c < 0xFDD0 || c > 0xFDEF) && c != 0xFFFE && c != 0xFFFF) // noncharacters
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();

    private DeviceRecordGenerators() {}

    /** Strings of {@code minLength} to {@code maxLength} characters, each one of {@code alphabet}. */
    public static Gen<String> stringsOf(String alphabet, int minLength, int maxLength) {
        Gen<Character> characters = integers().between(0, alphabet.length() - 1).map(alphabet::charAt);
        return lists().of(characters).ofSizeBetween(minLength, maxLength).map(DeviceRecordGenerators::join);
    }

    /** Any text (see {@link #TEXT_CHARS}) of {@code minLength} to {@code maxLength} characters. */
    public static Gen<String> texts(int minLength, int maxLength) {
        return stringsOf(TEXT_CHARS, minLength, maxLength);
    }

    public static Gen<String> thingNameStrings() {
        return stringsOf(THING_CHARS, 1, 128);
    }

    public static Gen<DeviceId> deviceIds() {
        return thingNameStrings().map(DeviceId::new);
    }

    public static Gen<Region> regions() {
        return Generate.pick(List.of(
                        "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1"))
                .map(Region::new);
    }

    public static Gen<ThingAttributes> attributes() {
        Gen<String> names = stringsOf(ATTRIBUTE_NAME_CHARS, 1, 128);
        Gen<String> values = stringsOf(ATTRIBUTE_VALUE_CHARS, 0, 800);
        return maps().of(names, values)
                .ofSizeBetween(0, ThingAttributes.MAX_ENTRIES)
                .map(ThingAttributes::new);
    }

    public static Gen<CertificateId> certificateIds() {
        Gen<Byte> anyByte = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
        return Generate.byteArrays(Generate.constant(32), anyByte)
                .map(bytes -> new CertificateId(HexFormat.of().formatHex(bytes)));
    }

    public static Gen<DeviceCertificate> certificates() {
        Gen<String> body = stringsOf(BASE64_CHARS, 4, 2000);
        return certificateIds()
                .zip(
                        regions(),
                        body,
                        Generate.enumValues(CertificateStatus.class),
                        (id, region, base64, status) -> new DeviceCertificate(
                                id,
                                "arn:aws:iot:" + region.code() + ":123456789012:cert/" + id.value(),
                                "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n",
                                status));
    }

    public static Gen<DeviceRecord> records() {
        Gen<Set<ThingGroupName>> groups = lists().of(thingNameStrings().map(ThingGroupName::new))
                .ofSizeBetween(0, DeviceRecord.MAX_THING_GROUPS)
                .map(Set::copyOf);
        Gen<List<RetiredCertificate>> retired = lists().of(certificateIds()
                        .zip(
                                Generate.pick(List.of(CertificateStatus.INACTIVE, CertificateStatus.REVOKED)),
                                RetiredCertificate::new))
                .ofSizeBetween(0, DeviceRecord.MAX_RETIRED_CERTIFICATES);
        Gen<Instant[]> createdAndUpdated = longs().between(0, 4_000_000_000_000L)
                .zip(longs().between(0, 1_000_000_000L), (epochMillis, ageMillis) -> {
                    Instant created = Instant.ofEpochMilli(epochMillis).plusNanos(1234);
                    return new Instant[] {created, created.plusMillis(ageMillis)};
                });
        Gen<Identity> identities = deviceIds().zip(groups, attributes(), Identity::new);
        Gen<Certificates> certificates = certificates().zip(retired, Certificates::new);
        Gen<Lifecycle> lifecycles = longs().between(1, Long.MAX_VALUE)
                .zip(
                        regions(),
                        createdAndUpdated,
                        (version, origin, times) -> new Lifecycle(version, origin, times[0], times[1]));
        return identities.zip(certificates, lifecycles, (identity, certs, lifecycle) -> {
            DeviceCertificate certificate = certs.current();
            long version = lifecycle.version();
            DeviceStatus status = certificate.status() == CertificateStatus.ACTIVE || version % 2 == 0
                    ? DeviceStatus.ACTIVE
                    : DeviceStatus.DECOMMISSIONED;
            return new DeviceRecord(
                    identity.id(),
                    identity.id().thingName(),
                    identity.groups(),
                    identity.attributes(),
                    certificate,
                    certs.retired().stream()
                            .filter(old -> !old.id().equals(certificate.id()))
                            .toList(),
                    PolicyName.of("device-policy"),
                    status,
                    version,
                    lifecycle.origin(),
                    lifecycle.createdAt(),
                    lifecycle.updatedAt());
        });
    }

    private static String join(List<Character> characters) {
        StringBuilder text = new StringBuilder(characters.size());
        characters.forEach(text::append);
        return text.toString();
    }

    private record Identity(DeviceId id, Set<ThingGroupName> groups, ThingAttributes attributes) {}

    private record Certificates(DeviceCertificate current, List<RetiredCertificate> retired) {}

    private record Lifecycle(long version, Region origin, Instant createdAt, Instant updatedAt) {}
}
