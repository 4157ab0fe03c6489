package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;

/** Whether a region's API serves a healthy request now. */
public interface ApiCheck {
    boolean serves(Region region);
}
