package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.util.Optional;

/** What a region's replication service says of its replication; empty when it cannot be read. */
public interface ReplicationLag {
    /** Empty when the service cannot answer or any source's position is unknown. */
    Optional<ReplicationView> viewOf(Region region);

    /**
     * Audits the region: devices in its table that are not connect-ready there. Waits for the audit at most
     * a configured bound; the answer says how it ended.
     */
    Audit audit(Region region);
}
