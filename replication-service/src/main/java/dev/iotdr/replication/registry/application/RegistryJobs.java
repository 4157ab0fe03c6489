package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.UseCases.ReadJobs;
import dev.iotdr.replication.registry.application.UseCases.StartJob;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.JobPhase;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts and reads audit and re-sync jobs. A job only records what to do; {@link JobWorker}s (every
 * instance runs one) pick it up, run it page by page and save its cursors, so it outlives any one request,
 * process or throttle.
 */
public final class RegistryJobs implements StartJob, ReadJobs {
    private final Jobs jobs;
    private final List<Region> copySources;
    private final int segments;
    private final JobSignal signal;
    private final Clock clock;

    /**
     * @param copySources regions whose tables a re-sync copies from first (table-copy mode), none otherwise
     * @param segments parallel scan segments per table pass
     * @param signal wakes this instance's worker at once
     */
    public RegistryJobs(Jobs jobs, List<Region> copySources, int segments, JobSignal signal, Clock clock) {
        this.jobs = jobs;
        this.copySources = List.copyOf(copySources);
        this.segments = segments;
        this.signal = signal;
        this.clock = clock;
    }

    @Override
    public Job start(JobKind kind) {
        if (kind == JobKind.CATCH_UP) {
            // Gaps come in bursts (every shard of a replaced stream); one catch-up covers them all.
            Optional<Job> running = jobs.running().stream()
                    .filter(job -> job.kind() == JobKind.CATCH_UP && job.phase() == 0)
                    .findFirst();
            if (running.isPresent()) {
                return running.get();
            }
        }
        Instant now = clock.instant();
        String id = "job-%013d-%s"
                .formatted(
                        now.toEpochMilli(),
                        HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        List<JobPhase> phases =
                JobPhase.of(kind, copySources.stream().map(Region::code).toList());
        Job created = jobs.create(Job.start(id, kind, phases, segments, now));
        signal.jobStarted();
        return created;
    }

    @Override
    public Optional<Job> find(String id) {
        return jobs.find(id);
    }

    @Override
    public List<Job> recent(int limit) {
        return jobs.recent(limit);
    }

    /** The newest finished job of an audit kind, if any. */
    public Optional<Job> lastAudit() {
        return jobs.recent(20).stream()
                .filter(job -> job.kind() == JobKind.AUDIT || job.kind() == JobKind.AUDIT_AND_REPAIR)
                .filter(job -> job.finishedAt().isPresent())
                .findFirst();
    }
}
