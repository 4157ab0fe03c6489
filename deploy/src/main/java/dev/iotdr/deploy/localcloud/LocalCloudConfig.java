package dev.iotdr.deploy.localcloud;

import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * What the local cloud runs: the regions (first is the primary), where emulator logs go and how long an
 * emulator may take to answer.
 *
 * @param topology the regions, one emulator each
 * @param logDirectory one log file per emulator is written here
 * @param readinessTimeout how long one emulator may take to answer after it starts
 */
public record LocalCloudConfig(RegionTopology topology, Path logDirectory, Duration readinessTimeout) {
    /** Regions when nothing else is configured. */
    public static final String DEFAULT_REGIONS = "us-east-1,eu-west-1";

    public LocalCloudConfig {
        if (topology == null || logDirectory == null || readinessTimeout == null) {
            throw new IllegalArgumentException("topology, log directory and readiness timeout are required");
        }
        if (readinessTimeout.isNegative() || readinessTimeout.isZero()) {
            throw new IllegalArgumentException("readiness timeout must be positive, was " + readinessTimeout);
        }
    }

    /**
     * Regions from the {@code iotdr.regions} system property or the {@code IOTDR_REGIONS} environment
     * variable (comma separated), else {@value #DEFAULT_REGIONS}; logs in a fresh temporary directory.
     */
    public static LocalCloudConfig fromEnvironment() {
        try {
            return new LocalCloudConfig(
                    topology(configuredRegions()),
                    Files.createTempDirectory("iotdr-localcloud-"),
                    Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the local cloud", e);
        }
    }

    public LocalCloudConfig withLogDirectory(Path directory) {
        return new LocalCloudConfig(topology, directory, readinessTimeout);
    }

    static String configuredRegions() {
        String property = System.getProperty("iotdr.regions");
        if (property != null && !property.isBlank()) {
            return property;
        }
        String env = System.getenv("IOTDR_REGIONS");
        return env != null && !env.isBlank() ? env : DEFAULT_REGIONS;
    }

    static RegionTopology topology(String commaSeparated) {
        return new RegionTopology(Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(code -> !code.isEmpty())
                .map(Region::of)
                .toList());
    }
}
