package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.DeviceId;

/** The record version whose state this region's registry holds, per device; it never goes back. */
public interface AppliedVersions {

    /** 0 when nothing was applied. */
    long get(DeviceId device);

    /**
     * Records that {@code version} is applied, only if the stored version is lower.
     *
     * @return false if a version at least as new was recorded already
     */
    boolean advance(DeviceId device, long version);

    /**
     * When this region's replication state began (its store was created). A region rebuilt from scratch has
     * a new one: records this region wrote before then were provisioned in a registry that no longer exists.
     */
    java.time.Instant since();
}
