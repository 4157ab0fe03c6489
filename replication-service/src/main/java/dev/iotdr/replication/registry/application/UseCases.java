package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.shared.domain.DeviceId;
import java.util.List;
import java.util.Optional;

/** The incoming ports of replication, with their results. */
public final class UseCases {
    private UseCases() {}

    /** Makes this region's registry match the device's record in this region's table. */
    public interface ApplyRegistryRecord {
        ApplyOutcome apply(DeviceId device);

        /** Ensures the registry even if this version was applied before (repair, re-sync). */
        ApplyOutcome applyForced(DeviceId device);
    }

    /**
     * Starts an audit (optionally repairing) or a re-sync as a resumable job; a catch-up already running
     * is returned instead of a second one.
     */
    public interface StartJob {
        Job start(JobKind kind);
    }

    /** Reads jobs and their progress. */
    public interface ReadJobs {
        Optional<Job> find(String id);

        List<Job> recent(int limit);
    }

    /** Whether one device could connect to this region now. */
    public interface CheckReadiness {
        Readiness readiness(DeviceId device);
    }

    /** Applies parked records again; those that succeed leave the dead-letter store. */
    public interface RedriveDeadLetters {
        RedriveReport redrive();
    }

    /** What a re-drive did. */
    public record RedriveReport(int redriven, int stillFailing) {}
}
