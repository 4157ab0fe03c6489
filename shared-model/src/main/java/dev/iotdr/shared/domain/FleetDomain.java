package dev.iotdr.shared.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The DNS domain the fleet knows, such as {@code fleet.example.com}. Devices and apps only ever see names
 * under it ({@code iot.<domain>} and {@code api.<domain>}), never an AWS-provided endpoint, so that failover
 * is a DNS change and not a firmware change.
 */
public record FleetDomain(String name) {
    private static final Pattern LABELS =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    public FleetDomain {
        String normalized = name == null ? null : stripDot(name.toLowerCase(Locale.ROOT));
        name = Checks.matching("fleet domain", normalized, LABELS, 3, 240);
    }

    public static FleetDomain of(String name) {
        return new FleetDomain(name);
    }

    /** The name devices connect to over MQTT. */
    public String iotEndpoint() {
        return "iot." + name;
    }

    /** The name apps call the onboarding API on. */
    public String apiEndpoint() {
        return "api." + name;
    }

    private static String stripDot(String value) {
        return value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    }

    @Override
    public String toString() {
        return name;
    }
}
