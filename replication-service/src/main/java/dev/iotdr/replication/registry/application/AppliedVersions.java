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
}
