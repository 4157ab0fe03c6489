package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.registry.domain.Drift;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The incoming ports of replication, with their results. */
public final class UseCases {
    private UseCases() {}

    /** Makes this region's registry match the device's record in this region's table. */
    public interface ApplyRegistryRecord {
        ApplyOutcome apply(DeviceId device);

        /** Ensures the registry even if this version was applied before (repair, re-sync). */
        ApplyOutcome applyForced(DeviceId device);
    }

    /** Compares the table with the registry; repairs what differs if asked. */
    public interface AuditRegistry {
        AuditReport audit(boolean repair);
    }

    /** Whether one device could connect to this region now. */
    public interface CheckReadiness {
        Readiness readiness(DeviceId device);
    }

    /** Applies parked records again; those that succeed leave the dead-letter store. */
    public interface RedriveDeadLetters {
        RedriveReport redrive();
    }

    /** Rebuilds this region's registry (and, in table-copy mode, its table) from scratch, quota-bound. */
    public interface ResyncRegion {
        ResyncReport resync();
    }

    /** What an audit found (and repaired). */
    public record AuditReport(Instant at, int devicesChecked, List<Drift> drift, int repaired) {
        public AuditReport {
            drift = List.copyOf(drift);
        }
    }

    /** What a re-drive did. */
    public record RedriveReport(int redriven, int stillFailing) {}

    /** What a re-sync did and how fast. */
    public record ResyncReport(int recordsCopied, int devicesApplied, int failed, Duration took) {
        public double devicesPerSecond() {
            return devicesApplied / Math.max(1e-9, took.toNanos() / 1e9);
        }
    }
}
