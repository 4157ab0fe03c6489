package dev.iotdr.replication.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.replication.registry.application.DeviceTableSegments;
import dev.iotdr.replication.registry.application.JobWorker;
import dev.iotdr.replication.registry.application.Jobs;
import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.RegistryAudit;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.JobPhase;
import dev.iotdr.replication.registry.domain.JobState;
import dev.iotdr.replication.support.InMemoryIot;
import dev.iotdr.replication.support.InMemoryState;
import dev.iotdr.replication.support.MovableClock;
import dev.iotdr.replication.support.SourceFleet;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs resume where they were: after a worker died, after a throttle; nothing is scanned twice. */
class JobWorkerTest {
    private static final Region TARGET = Region.of("eu-west-1");
    private static final int DEVICES = 40;
    private static final int PAGE = 5;

    private final MovableClock clock = new MovableClock();
    private final InMemoryState state = new InMemoryState();
    private final InMemoryIot iot = new InMemoryIot(TARGET.code());
    private final MemoryJobs jobs = new MemoryJobs();
    private final PagedTable table = new PagedTable();
    private final List<JobWorker> workers = new ArrayList<>();

    JobWorkerTest() {
        SourceFleet fleet = new SourceFleet();
        for (int i = 0; i < DEVICES; i++) {
            fleet.apply(i, SourceFleet.Operation.ONBOARD_OR_UPDATE).ifPresent(state::copyIfNewer);
        }
    }

    @AfterEach
    void close() {
        workers.forEach(JobWorker::close);
    }

    @Test
    void aJobWhoseWorkerDiedIsResumedFromItsSavedCursorsByAnother() {
        List<DeviceRecord> records = state.records();
        // A worker applied the first two pages of the only segment, saved its cursor, and died.
        Job started = jobs.create(
                Job.start("job-1", JobKind.RESYNC, JobPhase.of(JobKind.RESYNC, List.of()), 1, clock.instant()));
        Job halfway = started.owned("dead-worker", clock.instant().plusSeconds(30), clock.instant())
                .pageDone(
                        0,
                        Optional.of(records.get(2 * PAGE - 1).deviceId().value()),
                        new Job.Counts(2 * PAGE, 0, 2 * PAGE, 0, 0, 0),
                        List.of(),
                        clock.instant());
        jobs.save(halfway);
        clock.advance(Duration.ofSeconds(31)); // its lease ran out

        Optional<Job> done = worker("worker-2").runOne();

        assertThat(done).hasValueSatisfying(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.counts().scanned()).isEqualTo(DEVICES);
            assertThat(job.counts().applied()).isEqualTo(2 * PAGE + (DEVICES - 2 * PAGE));
        });
        assertThat(table.pagesFrom.get(Optional.<String>empty()))
                .as("the resumed job never read the table from its start")
                .isNull();
        assertThat(table.devicesServed.get()).isEqualTo(DEVICES - 2 * PAGE);
        for (int i = 0; i < DEVICES; i++) {
            assertThat(iot.describeThing(records.get(i).thingName()).isPresent())
                    .as(
                            "%s applied by the resuming worker only if after the cursor",
                            records.get(i).deviceId())
                    .isEqualTo(i >= 2 * PAGE);
        }
    }

    @Test
    void aThrottledPageWaitsAndIsTriedAgainWithoutFailingOrSkipping() {
        table.throttleNext(3);
        jobs.create(Job.start("job-2", JobKind.RESYNC, JobPhase.of(JobKind.RESYNC, List.of()), 2, clock.instant()));

        Optional<Job> done = worker("worker-1").runOne();

        assertThat(done).hasValueSatisfying(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.counts().scanned()).isEqualTo(DEVICES);
            assertThat(job.counts().failed()).isZero();
        });
        assertThat(table.throttled.get()).isEqualTo(3);
    }

    @Test
    void aJobHeldByALiveWorkerIsLeftAlone() {
        Job started = jobs.create(
                Job.start("job-3", JobKind.AUDIT, JobPhase.of(JobKind.AUDIT, List.of()), 1, clock.instant()));
        jobs.save(started.owned("alive", clock.instant().plusSeconds(30), clock.instant()));

        assertThat(worker("worker-1").runOne()).isEmpty();
        assertThat(table.devicesServed.get()).isZero();
    }

    @Test
    void aResyncCopiesAnotherRegionsRecordOfTheSameVersionOnlyWhereItOutranksTheOneHere() {
        List<DeviceRecord> here = state.records();
        Region west = Region.of("us-west-2"); // ranks above us-east-1, where the records here were written
        DeviceRecord outranks = rival(here.get(0), west, "west");
        DeviceRecord ranksLower = rival(here.get(1), Region.of("eu-west-1"), "eu");
        table.serve(west, List.of(outranks, ranksLower, here.get(2)));
        jobs.create(Job.start(
                "job-4", JobKind.RESYNC, JobPhase.of(JobKind.RESYNC, List.of(west.code())), 1, clock.instant()));

        Optional<Job> done = worker("worker-1").runOne();

        assertThat(done).hasValueSatisfying(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.counts().copied()).isEqualTo(1);
        });
        assertThat(state.find(outranks.deviceId())).contains(outranks);
        assertThat(state.find(ranksLower.deviceId())).contains(here.get(1));
        assertThat(iot.describeThing(outranks.thingName()).orElseThrow().principals())
                .containsExactly(outranks.certificate().arnIn(TARGET));
    }

    /** Another region's first record of the same device, with its own certificate. */
    private static DeviceRecord rival(DeviceRecord record, Region origin, String name) {
        String pem = "-----BEGIN CERTIFICATE-----\nMII" + name + "\n-----END CERTIFICATE-----\n";
        var id = InMemoryIot.idOf(pem);
        return DeviceRecord.onboarded(
                record.deviceId(),
                record.thingGroups(),
                record.attributes(),
                new DeviceCertificate(
                        id,
                        "arn:aws:iot:" + origin.code() + ":123456789012:cert/" + id.value(),
                        pem,
                        CertificateStatus.ACTIVE),
                record.policyName(),
                origin,
                record.createdAt());
    }

    private JobWorker worker(String name) {
        RegistryApplier applier =
                new RegistryApplier(iot, state, state, TARGET, Clock.systemUTC(), Duration.ofMinutes(15));
        JobWorker worker = new JobWorker(
                jobs,
                table,
                state,
                iot,
                new RegistryAudit(iot, state, state, TARGET),
                applier,
                new JobWorker.Settings(name, 1, PAGE, 4, Duration.ofSeconds(30)),
                clock);
        workers.add(worker);
        return worker;
    }

    /** This region's table in device-id order, one segment, pages of the asked size; can throttle. */
    final class PagedTable implements DeviceTableSegments {
        final Map<Optional<String>, Integer> pagesFrom = new ConcurrentHashMap<>();
        final AtomicInteger devicesServed = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        private final AtomicInteger throttles = new AtomicInteger();

        private final Map<Region, List<DeviceRecord>> others = new ConcurrentHashMap<>();

        void throttleNext(int times) {
            throttles.set(times);
        }

        /** Another region's table, for a COPY phase. */
        void serve(Region region, List<DeviceRecord> records) {
            others.put(region, records);
        }

        @Override
        public Page page(Optional<Region> region, int segment, int total, Optional<String> after, int limit) {
            if (throttles.getAndUpdate(t -> Math.max(0, t - 1)) > 0) {
                throttled.incrementAndGet();
                throw new DependencyUnavailableException(
                        "dynamodb in eu-west-1", "throttled", Duration.ofMillis(1), null);
            }
            pagesFrom.merge(after, 1, Integer::sum);
            List<DeviceRecord> all =
                    region.filter(others::containsKey).map(others::get).orElseGet(state::records).stream()
                            .sorted(java.util.Comparator.comparing(
                                    r -> r.deviceId().value()))
                            .filter(r -> Math.floorMod(r.deviceId().value().hashCode(), total) == segment)
                            .filter(r -> after.isEmpty() || r.deviceId().value().compareTo(after.get()) > 0)
                            .toList();
            List<DeviceRecord> page = all.subList(0, Math.min(limit, all.size()));
            devicesServed.addAndGet(page.size());
            return new Page(
                    page,
                    all.size() > limit ? Optional.of(page.getLast().deviceId().value()) : Optional.empty());
        }
    }

    /** Jobs in memory with the store's revision condition. */
    static final class MemoryJobs implements Jobs {
        private final Map<String, Job> jobs = new ConcurrentHashMap<>();

        @Override
        public synchronized Job create(Job job) {
            Job stored = job.atRevision(1);
            jobs.put(job.id(), stored);
            return stored;
        }

        @Override
        public Optional<Job> find(String id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public synchronized Job save(Job job) {
            Job current = jobs.get(job.id());
            if (current == null || current.revision() != job.revision()) {
                throw new StaleJobException("job " + job.id() + " was saved by another worker", null);
            }
            Job stored = job.atRevision(job.revision() + 1);
            jobs.put(job.id(), stored);
            return stored;
        }

        @Override
        public List<Job> recent(int limit) {
            return jobs.values().stream().limit(limit).toList();
        }

        @Override
        public List<Job> running() {
            return jobs.values().stream()
                    .filter(job -> job.state() == JobState.RUNNING)
                    .toList();
        }
    }
}
