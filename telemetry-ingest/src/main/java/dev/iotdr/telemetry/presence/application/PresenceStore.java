package dev.iotdr.telemetry.presence.application;

import dev.iotdr.shared.domain.Region;
import dev.iotdr.telemetry.presence.domain.DevicePresence;
import dev.iotdr.telemetry.presence.domain.PresenceEvent;
import dev.iotdr.telemetry.presence.domain.RegionPresence;
import java.util.List;

/** Per-device presence and per-region connected counts, kept together so the counts never drift from the devices. */
public interface PresenceStore {
    /** What applying an event did. */
    enum Applied {
        /** The device's state changed (and its region's count with it, if connected changed). */
        APPLIED,
        /** An older event than the one already applied (lifecycle events may arrive out of order): ignored. */
        STALE
    }

    /**
     * Applies the event if it is newer than the device's state in the event's region, moving that region's count
     * by the change in one atomic write; durable when this returns.
     */
    Applied apply(PresenceEvent event);

    /** The device's state in every region that has seen it. */
    List<DevicePresence> device(String clientId);

    /** The count of one region (read by key, never by scanning devices). */
    RegionPresence region(Region region);
}
