package dev.iotdr.replication.registry.domain;

import dev.iotdr.shared.domain.DeviceRecord;

/**
 * Which record of a device, as stores keep it: its version and {@link DeviceRecord#tieKey() tie key}. The same
 * record has the same rank in every region, and ranks sort as {@link DeviceRecord#PRECEDENCE} sorts records.
 * An empty tie is a rank stored before tie keys were: it ranks below every record of its version.
 */
public record RecordRank(long version, String tie) implements Comparable<RecordRank> {
    /** Nothing applied. */
    public static final RecordRank NONE = new RecordRank(0, "");

    public RecordRank {
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        if (tie == null) {
            throw new IllegalArgumentException("tie must be given (empty for a rank stored without one)");
        }
    }

    public static RecordRank of(DeviceRecord record) {
        return new RecordRank(record.version(), record.tieKey());
    }

    /** Whether this is exactly {@code record}'s rank: the same record. */
    public boolean is(DeviceRecord record) {
        return equals(of(record));
    }

    /**
     * Whether this stored rank says {@code record} is held: it is {@code record}'s, or it was stored without a
     * tie at that version (so that an upgrade re-applies nothing; a rival record held since is a difference an
     * audit finds in the certificate and its repair removes).
     */
    public boolean standsFor(DeviceRecord record) {
        return version == record.version() && (tie.isEmpty() || tie.equals(record.tieKey()));
    }

    @Override
    public int compareTo(RecordRank other) {
        int byVersion = Long.compare(version, other.version);
        return byVersion != 0 ? byVersion : tie.compareTo(other.tie);
    }

    @Override
    public String toString() {
        return tie.isEmpty() ? "v" + version : "v" + version + " (" + tie + ")";
    }
}
