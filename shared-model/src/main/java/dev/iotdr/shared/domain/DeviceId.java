package dev.iotdr.shared.domain;

/**
 * A device's identity in the fleet and the key of the device table. It follows AWS IoT's thing-name rules
 * so that the device's thing can carry the same name in every region.
 */
public record DeviceId(String value) {
    public DeviceId {
        Checks.matching("device id", value, ThingName.PATTERN, 1, ThingName.MAX_LENGTH);
    }

    public static DeviceId of(String value) {
        return new DeviceId(value);
    }

    /** The thing that represents this device in every region's registry. */
    public ThingName thingName() {
        return new ThingName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
