package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.shared.domain.DeviceId;

/**
 * Which record's state this region's registry holds, per device (its rank: version and tie key); the version
 * never goes back.
 */
public interface AppliedVersions {

    /** {@link RecordRank#NONE} when nothing was applied; an empty tie when stored before tie keys were. */
    RecordRank get(DeviceId device);

    /**
     * Records that {@code applied} is the record the registry now holds, only if the stored one is of an older
     * version or is another record of the same version. (At one version the registry holds whichever record
     * was ensured last, which is what the table holds: the applier re-reads the table after each ensure. In
     * global-table mode that may be a lower-ranked record, when AWS's last writer won.)
     *
     * @return false if this very record, or one of a newer version, was recorded already
     */
    boolean advance(DeviceId device, RecordRank applied);

    /**
     * When this region's replication state began (its store was created). A region rebuilt from scratch has
     * a new one: records this region wrote before then were provisioned in a registry that no longer exists.
     */
    java.time.Instant since();
}
