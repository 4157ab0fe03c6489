package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.Jobs.StaleJobException;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.replication.registry.domain.Drift;
import dev.iotdr.replication.registry.domain.DriftKind;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.Job.Counts;
import dev.iotdr.replication.registry.domain.Job.Segment;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.JobPhase;
import dev.iotdr.replication.registry.domain.JobState;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs replication jobs: takes a running job whose lease is free (new, or its worker died), and works
 * through its phases, each table pass in parallel scan segments, page by page, saving the segment's cursor
 * and counts after each page and renewing its lease meanwhile. A region that cannot serve makes the page
 * wait and retry (the cursor does not move); a job is FAILED only when a page keeps failing for another
 * reason. Memory is bounded by a page per segment, whatever the fleet's size.
 */
public final class JobWorker {
    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
    private static final int PAGE_ATTEMPTS = 5;

    private final Jobs jobs;
    private final DeviceTableSegments tables;
    private final LocalDeviceTable table;
    private final RegionRegistry registry;
    private final RegistryAudit audit;
    private final ApplyRegistryRecord applier;
    private final Settings settings;
    private final Clock clock;
    private final Semaphore applySlots;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * How a worker runs jobs.
     *
     * @param worker this worker's name in job leases
     * @param segments parallel scan segments per table pass
     * @param pageSize items per page (and per saved cursor)
     * @param concurrency devices worked on at once across segments; the IoT pacing sets the real rate
     * @param lease how long a job stays with a worker that stopped saving it
     */
    public record Settings(String worker, int segments, int pageSize, int concurrency, Duration lease) {
        public Settings {
            if (segments < 1 || pageSize < 1 || concurrency < 1) {
                throw new IllegalArgumentException("segments, pageSize and concurrency must be at least 1");
            }
        }
    }

    public JobWorker(
            Jobs jobs,
            DeviceTableSegments tables,
            LocalDeviceTable table,
            RegionRegistry registry,
            RegistryAudit audit,
            ApplyRegistryRecord applier,
            Settings settings,
            Clock clock) {
        this.jobs = jobs;
        this.tables = tables;
        this.table = table;
        this.registry = registry;
        this.audit = audit;
        this.applier = applier;
        this.settings = settings;
        this.clock = clock;
        this.applySlots = new Semaphore(settings.concurrency());
    }

    /** Takes one job that nobody runs and runs it to its end (or until another worker takes it). */
    public Optional<Job> runOne() {
        Instant now = clock.instant();
        for (Job candidate : jobs.running()) {
            if (!candidate.leaseFree(now)) {
                continue;
            }
            Job claimed;
            try {
                claimed = jobs.save(candidate.owned(settings.worker(), now.plus(settings.lease()), now));
            } catch (StaleJobException takenMeanwhile) {
                continue;
            }
            log.info("running job {} ({}) from phase {}", claimed.id(), claimed.kind(), claimed.phase());
            return Optional.of(run(claimed));
        }
        return Optional.empty();
    }

    private Job run(Job claimed) {
        Holder holder = new Holder(claimed);
        Future<?> heartbeat = threads.submit(() -> {
            while (!holder.lost.get() && holder.current().state() == JobState.RUNNING) {
                try {
                    Thread.sleep(settings.lease().dividedBy(3));
                } catch (InterruptedException stop) {
                    return;
                }
                holder.update(UnaryOperator.identity());
            }
        });
        try {
            while (!holder.lost.get() && holder.current().state() == JobState.RUNNING) {
                Job job = holder.current();
                if (job.phaseDone()) {
                    holder.update(j -> j.nextPhase(settings.segments(), clock.instant()));
                    continue;
                }
                JobPhase phase = job.currentPhase().orElseThrow();
                List<Future<?>> running = new ArrayList<>();
                for (Segment segment : job.segments()) {
                    if (!segment.done()) {
                        running.add(threads.submit(() -> runSegment(holder, phase, segment)));
                    }
                }
                try {
                    for (Future<?> segment : running) {
                        segment.get();
                    }
                } finally {
                    running.forEach(segment -> segment.cancel(true)); // one failed: the others stop too
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            String why = e.getCause().getClass().getSimpleName() + ": "
                    + e.getCause().getMessage();
            log.warn("job {} failed: {}", claimed.id(), why);
            holder.update(j -> j.failed(why, clock.instant()));
        } finally {
            heartbeat.cancel(true);
        }
        Job last = holder.current();
        log.info("job {} ({}) ends {}: {}", last.id(), last.kind(), last.state(), last.counts());
        return last;
    }

    private void runSegment(Holder holder, JobPhase phase, Segment start) {
        int total = holder.current().segments().size();
        Optional<String> after = start.after();
        while (holder.going()) {
            PageResult result = pageWithRetries(holder.current().kind(), phase, start.index(), total, after);
            Optional<String> next = result.next();
            holder.update(j -> j.pageDone(start.index(), next, result.counts(), result.drift(), clock.instant()));
            if (next.isEmpty()) {
                return;
            }
            after = next;
        }
    }

    private PageResult pageWithRetries(JobKind kind, JobPhase phase, int segment, int total, Optional<String> after) {
        int failures = 0;
        while (true) {
            try {
                return page(kind, phase, segment, total, after);
            } catch (DependencyUnavailableException unavailable) {
                // The region cannot serve: the cursor stays, the page is tried again (not counted as failing).
                sleep(unavailable.retryAfter());
            } catch (RuntimeException e) {
                if (++failures >= PAGE_ATTEMPTS) {
                    throw e;
                }
                log.warn("job page {} of {} failed (attempt {}): {}", segment, phase.code(), failures, e.toString());
                sleep(Duration.ofMillis(500L * failures));
            }
        }
    }

    private PageResult page(JobKind kind, JobPhase phase, int segment, int total, Optional<String> after) {
        int size = settings.pageSize();
        return switch (phase.step()) {
            case COPY -> {
                var page =
                        tables.page(Optional.of(Region.of(phase.source().orElseThrow())), segment, total, after, size);
                // Read what is here in batches first: a re-sync of tables that mostly agree writes only what
                // differs, and in the order the copy itself keeps (a same-version record that outranks counts).
                java.util.Map<DeviceId, RecordRank> here = table.ranks(page.records().stream()
                        .map(dev.iotdr.shared.domain.DeviceRecord::deviceId)
                        .toList());
                long copied = page.records().stream()
                        .filter(record -> here.getOrDefault(record.deviceId(), RecordRank.NONE)
                                        .compareTo(RecordRank.of(record))
                                < 0)
                        .filter(table::copyIfNewer)
                        .count();
                yield new PageResult(page.next(), new Counts(page.records().size(), copied, 0, 0, 0, 0), List.of());
            }
            case APPLY_ALL, APPLY_BEHIND -> {
                var page = tables.page(Optional.empty(), segment, total, after, size);
                boolean forced = phase.step() == JobPhase.Step.APPLY_ALL;
                AtomicLong applied = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                forEachConcurrently(page.records(), record -> {
                    try {
                        ApplyOutcome outcome =
                                forced ? applier.applyForced(record.deviceId()) : applier.apply(record.deviceId());
                        if (outcome == ApplyOutcome.APPLIED) {
                            applied.incrementAndGet();
                        }
                    } catch (DependencyUnavailableException unavailable) {
                        throw unavailable;
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        log.warn("job could not apply {}: {}", record.deviceId(), e.getMessage());
                    }
                });
                yield new PageResult(
                        page.next(),
                        new Counts(page.records().size(), 0, applied.get(), failed.get(), 0, 0),
                        List.of());
            }
            case CHECK_RECORDS -> {
                var page = tables.page(Optional.empty(), segment, total, after, size);
                boolean repair = kind == JobKind.AUDIT_AND_REPAIR;
                List<Drift> drift = Collections.synchronizedList(new ArrayList<>());
                AtomicLong repaired = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                forEachConcurrently(page.records(), record -> {
                    List<Drift> found = audit.check(record);
                    drift.addAll(found);
                    if (repair && !found.isEmpty()) {
                        try {
                            applier.applyForced(record.deviceId());
                            repaired.incrementAndGet();
                        } catch (DependencyUnavailableException unavailable) {
                            throw unavailable;
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            log.warn("job could not repair {}: {}", record.deviceId(), e.getMessage());
                        }
                    }
                });
                yield new PageResult(
                        page.next(),
                        new Counts(page.records().size(), 0, 0, failed.get(), drift.size(), repaired.get()),
                        List.copyOf(drift));
            }
            case CHECK_THINGS -> {
                var page = registry.fleetThings(after);
                List<Drift> drift = Collections.synchronizedList(new ArrayList<>());
                forEachConcurrently(page.things(), thing -> {
                    if (table.find(DeviceId.of(thing.value())).isEmpty()) {
                        // No record at all: maybe an onboarding in flight here (its thing exists before its
                        // record). Reported, never deleted by a repair; the onboarding saga's sweeper owns it.
                        drift.add(new Drift(
                                thing.value(), DriftKind.EXTRA, "thing has no record in this region's table"));
                    }
                });
                yield new PageResult(
                        page.next(), new Counts(page.things().size(), 0, 0, 0, drift.size(), 0), List.copyOf(drift));
            }
        };
    }

    private <T> void forEachConcurrently(List<T> items, java.util.function.Consumer<T> action) {
        List<Future<?>> work = new ArrayList<>();
        try {
            for (T item : items) {
                applySlots.acquire();
                work.add(threads.submit(() -> {
                    try {
                        action.accept(item);
                    } finally {
                        applySlots.release();
                    }
                }));
            }
            RuntimeException first = null;
            for (Future<?> future : work) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException runtime
                                ? runtime
                                : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.forEach(future -> future.cancel(true));
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the worker's threads. */
    public void close() {
        threads.shutdownNow();
    }

    private record PageResult(Optional<String> next, Counts counts, List<Drift> drift) {}

    /** The job as this worker last saved it; every change is one conditional save, in order. */
    private final class Holder {
        private Job job;
        private final AtomicBoolean lost = new AtomicBoolean();

        Holder(Job job) {
            this.job = job;
        }

        synchronized Job current() {
            return job;
        }

        synchronized void update(UnaryOperator<Job> change) {
            if (lost.get()) {
                return;
            }
            while (true) {
                Instant now = clock.instant();
                Job changed = change.apply(job);
                if (changed.state() == JobState.RUNNING) {
                    changed = changed.owned(settings.worker(), now.plus(settings.lease()), now);
                }
                try {
                    job = jobs.save(changed);
                    return;
                } catch (StaleJobException takenOver) {
                    log.info("job {} was taken over by another worker; stopping", job.id());
                    lost.set(true);
                    return;
                } catch (DependencyUnavailableException throttled) {
                    // The save waits like a page does: a throttle or an outage never fails the job.
                    sleep(throttled.retryAfter());
                }
            }
        }

        /** Whether segments should go on: the job still runs and is still this worker's. */
        boolean going() {
            return !lost.get() && current().state() == JobState.RUNNING;
        }
    }
}
