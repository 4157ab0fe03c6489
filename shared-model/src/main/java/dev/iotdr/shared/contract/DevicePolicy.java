package dev.iotdr.shared.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The IoT policy every device certificate gets, the same in every region, so that a device that fails over
 * is allowed exactly what it was allowed before: connect as its own thing, publish and receive on its own
 * topics and shadow.
 */
public final class DevicePolicy {
    public static final String DEFAULT_NAME = "iotdr-device-policy";
    /** The thing type every device's thing has (AWS allows more than three attributes only with a type). */
    public static final String DEFAULT_THING_TYPE = "iotdr-device";

    private DevicePolicy() {}

    /** The policy document (JSON). */
    public static String document() {
        try (InputStream in = DevicePolicy.class.getResourceAsStream("/iot/device-policy.json")) {
            if (in == null) {
                throw new IllegalStateException("iot/device-policy.json is missing from shared-model");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
