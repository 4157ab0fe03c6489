package dev.iotdr.shared.contract;

import static dev.iotdr.shared.contract.DeviceTable.*;

import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RetiredCertificate;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns a {@link DeviceRecord} into its device-table item and back. Reading is strict: a missing or
 * malformed attribute, or a schema newer than this code knows, is a {@link MalformedDeviceItemException}
 * naming the attribute, never a half-built record.
 */
public final class DeviceItemCodec {
    private DeviceItemCodec() {}

    public static Map<String, AttributeValue> toItem(DeviceRecord record) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(DEVICE_ID, s(record.deviceId().value()));
        item.put(THING_NAME, s(record.thingName().value()));
        item.put(
                THING_GROUPS,
                AttributeValue.fromL(record.thingGroups().stream()
                        .map(group -> s(group.value()))
                        .toList()));
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        record.attributes().values().forEach((name, value) -> attributes.put(name, s(value)));
        item.put(ATTRIBUTES, AttributeValue.fromM(attributes));
        item.put(CERTIFICATE_ID, s(record.certificate().id().value()));
        item.put(CERTIFICATE_ARN, s(record.certificate().arn()));
        item.put(CERTIFICATE_PEM, s(record.certificate().pem()));
        item.put(CERTIFICATE_STATUS, s(record.certificate().status().name()));
        item.put(
                RETIRED_CERTIFICATES,
                AttributeValue.fromL(record.retiredCertificates().stream()
                        .map(retired -> AttributeValue.fromM(Map.of(
                                "id",
                                s(retired.id().value()),
                                "status",
                                s(retired.status().name()))))
                        .toList()));
        item.put(POLICY_NAME, s(record.policyName().value()));
        item.put(STATUS, s(record.status().name()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(record.version())));
        item.put(ORIGIN_REGION, s(record.originRegion().code()));
        item.put(CREATED_AT, s(record.createdAt().toString()));
        item.put(UPDATED_AT, s(record.updatedAt().toString()));
        item.put(SCHEMA_VERSION, AttributeValue.fromN(Integer.toString(CURRENT_SCHEMA_VERSION)));
        return item;
    }

    public static DeviceRecord fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            throw new MalformedDeviceItemException("device item is empty");
        }
        Reader reader = new Reader(item);
        long schema = reader.number(SCHEMA_VERSION);
        if (schema < 1 || schema > CURRENT_SCHEMA_VERSION) {
            throw new MalformedDeviceItemException("device item has schema version " + schema
                    + "; this code reads versions 1 to " + CURRENT_SCHEMA_VERSION);
        }
        String deviceId = reader.string(DEVICE_ID);
        try {
            return new DeviceRecord(
                    reader.value(DEVICE_ID, DeviceId::new),
                    reader.value(THING_NAME, ThingName::new),
                    reader.list(THING_GROUPS).stream()
                            .map(group -> new ThingGroupName(group.s()))
                            .collect(Collectors.toSet()),
                    new ThingAttributes(reader.map(ATTRIBUTES).entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, entry -> requireString(entry.getValue())))),
                    new DeviceCertificate(
                            reader.value(CERTIFICATE_ID, CertificateId::new),
                            reader.string(CERTIFICATE_ARN),
                            reader.string(CERTIFICATE_PEM),
                            reader.value(CERTIFICATE_STATUS, CertificateStatus::valueOf)),
                    reader.list(RETIRED_CERTIFICATES).stream()
                            .map(DeviceItemCodec::retired)
                            .toList(),
                    reader.value(POLICY_NAME, PolicyName::new),
                    reader.value(STATUS, DeviceStatus::valueOf),
                    reader.number(VERSION),
                    reader.value(ORIGIN_REGION, Region::new),
                    reader.value(CREATED_AT, Instant::parse),
                    reader.value(UPDATED_AT, Instant::parse));
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            throw new MalformedDeviceItemException(
                    "device item " + deviceId + " does not hold a valid record: " + e.getMessage(), e);
        }
    }

    private static RetiredCertificate retired(AttributeValue value) {
        Map<String, AttributeValue> fields = value.hasM() ? value.m() : Map.of();
        return new RetiredCertificate(
                new CertificateId(requireString(fields.get("id"))),
                CertificateStatus.valueOf(requireString(fields.get("status"))));
    }

    private static String requireString(AttributeValue value) {
        if (value == null || value.s() == null) {
            throw new IllegalArgumentException("expected a string attribute value, got " + value);
        }
        return value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** Reads typed attributes and names the one that is missing or of the wrong type. */
    private record Reader(Map<String, AttributeValue> item) {
        AttributeValue attribute(String name) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw new MalformedDeviceItemException("device item lacks attribute '" + name + "'");
            }
            return value;
        }

        String string(String name) {
            String value = attribute(name).s();
            if (value == null) {
                throw new MalformedDeviceItemException("device item attribute '" + name + "' is not a string");
            }
            return value;
        }

        long number(String name) {
            String value = attribute(name).n();
            if (value == null) {
                throw new MalformedDeviceItemException("device item attribute '" + name + "' is not a number");
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new MalformedDeviceItemException(
                        "device item attribute '" + name + "' is not a whole number: " + value, e);
            }
        }

        List<AttributeValue> list(String name) {
            AttributeValue value = attribute(name);
            if (!value.hasL()) {
                throw new MalformedDeviceItemException("device item attribute '" + name + "' is not a list");
            }
            return value.l();
        }

        Map<String, AttributeValue> map(String name) {
            AttributeValue value = attribute(name);
            if (!value.hasM()) {
                throw new MalformedDeviceItemException("device item attribute '" + name + "' is not a map");
            }
            return new HashMap<>(value.m());
        }

        <T> T value(String name, Function<String, T> parse) {
            String raw = string(name);
            try {
                return parse.apply(raw);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new MalformedDeviceItemException(
                        "device item attribute '" + name + "' is invalid: " + e.getMessage(), e);
            }
        }
    }
}
