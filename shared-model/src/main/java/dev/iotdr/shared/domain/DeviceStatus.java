package dev.iotdr.shared.domain;

/** Where a device is in its life. */
public enum DeviceStatus {
    /** Provisioned and allowed to connect. */
    ACTIVE,
    /**
     * Removed from the fleet. The record stays as a tombstone with a higher version, so that every region
     * removes the device instead of seeing a gap.
     */
    DECOMMISSIONED
}
