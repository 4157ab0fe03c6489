package dev.iotdr.replication.config;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetterRedrive;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.DeviceTableSegments;
import dev.iotdr.replication.registry.application.JobSignal;
import dev.iotdr.replication.registry.application.JobWorker;
import dev.iotdr.replication.registry.application.Jobs;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.RegistryAudit;
import dev.iotdr.replication.registry.application.RegistryJobs;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.stream.application.ReplicationLag;
import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.service.aws.AwsCallSettings;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionReadiness;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Assembles replication's use cases from their ports, explicitly. */
@Configuration(proxyBeanMethods = false)
public class ReplicationConfiguration {

    /** Calls to other regions (their streams and tables) get their own breakers and pacing. */
    @Bean("sourceCalls")
    GuardedAwsCalls sourceCalls(AwsCallSettings settings, MeterRegistry meters) {
        return new GuardedAwsCalls(settings, meters);
    }

    @Bean
    ReplicationProgress replicationProgress() {
        return new ReplicationProgress();
    }

    @Bean
    RegistryApplier registryApplier(
            RegionRegistry registry,
            LocalDeviceTable table,
            AppliedVersions applied,
            RegionProperties region,
            ReplicationProperties replication,
            Clock clock) {
        return new RegistryApplier(
                registry, table, applied, region.self(), clock, replication.pendingCertificateGrace());
    }

    @Bean
    ReplicationIntake replicationIntake(
            ReplicationProperties replication,
            LocalDeviceTable table,
            ApplyRegistryRecord applier,
            DeadLetters deadLetters,
            ReplicationProgress progress,
            Clock clock) {
        return new ReplicationIntake(replication.mode(), table, applier, deadLetters, progress, clock);
    }

    @Bean
    RegistryAudit registryAudit(
            RegionRegistry registry, LocalDeviceTable table, AppliedVersions applied, RegionProperties region) {
        return new RegistryAudit(registry, table, applied, region.self());
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(DeadLetters deadLetters, ApplyRegistryRecord applier) {
        return new DeadLetterRedrive(deadLetters, applier);
    }

    @Bean
    JobSignal jobSignal() {
        return new JobSignal();
    }

    @Bean
    RegistryJobs registryJobs(
            Jobs jobs, RegionProperties region, ReplicationProperties replication, JobSignal signal, Clock clock) {
        return new RegistryJobs(jobs, sources(region, replication, false), replication.jobSegments(), signal, clock);
    }

    @Bean(destroyMethod = "close")
    JobWorker jobWorker(
            Jobs jobs,
            DeviceTableSegments segments,
            LocalDeviceTable table,
            RegionRegistry registry,
            RegistryAudit audit,
            ApplyRegistryRecord applier,
            ReplicationProperties replication,
            Clock clock) {
        return new JobWorker(
                jobs,
                segments,
                table,
                registry,
                audit,
                applier,
                new JobWorker.Settings(
                        replication.worker(),
                        replication.jobSegments(),
                        replication.jobPageSize(),
                        replication.resyncConcurrency(),
                        replication.jobLease()),
                clock);
    }

    /** A stream gap starts a catch-up job (one at a time). */
    @Bean
    StreamGaps streamGaps(RegistryJobs jobs) {
        return new StreamGaps(() -> jobs.start(JobKind.CATCH_UP));
    }

    @Bean
    ReplicationLag replicationLag(ShardLeases leases, SourceReads reads, Jobs jobs, Clock clock) {
        return new ReplicationLag(
                leases,
                reads,
                () -> jobs.running().stream()
                        .filter(job -> job.kind() == JobKind.CATCH_UP)
                        .findFirst()
                        .map(job -> "job " + job.id() + ", " + job.counts().scanned() + " scanned"),
                clock);
    }

    /**
     * The regions replication reads from: every other region in table-copy mode; in global-table mode this
     * region's own stream ({@code forStreams}) and no table to copy from.
     */
    static List<Region> sources(RegionProperties region, ReplicationProperties replication, boolean forStreams) {
        if (replication.mode() == ReplicationIntake.Mode.TABLE_COPY) {
            return region.regionTopology().others(region.self());
        }
        return forStreams ? List.of(region.self()) : List.of();
    }

    @Bean("region")
    RegionReadiness regionReadiness(
            RegionalAwsClients clients,
            RegionProperties region,
            ReplicationProperties replication,
            RegionResources resources,
            Clock clock) {
        var dynamo = clients.dynamoDb(region.self());
        var iot = clients.iot(region.self());
        return new RegionReadiness(
                region.region(),
                List.of(
                        () -> dynamo.describeTable(r -> r.tableName(replication.deviceTable())),
                        () -> dynamo.describeTable(r -> r.tableName(replication.stateTable())),
                        () -> dynamo.describeTable(r -> r.tableName(replication.coordinationTable())),
                        () -> iot.getPolicy(r -> r.policyName(replication.devicePolicy()))),
                resources,
                clock);
    }

    /**
     * Per source region: the shared lag (read on scrape, one query per source), outcomes on this instance,
     * records in flight; the dead-letter count and gaps; the last audit's drift.
     */
    @Bean
    MeterBinder replicationMeters(
            ReplicationProgress progress,
            ReplicationLag lag,
            DeadLetters deadLetters,
            StreamGaps gaps,
            RegionProperties region,
            ReplicationProperties replication,
            RegistryJobs jobs) {
        return meters -> {
            for (Region source : sources(region, replication, true)) {
                ReplicationProgress.Source stats = progress.source(source);
                String from = source.code();
                Gauge.builder(
                                "iotdr.replication.lag",
                                lag,
                                l -> safely(() -> l.of(source)
                                        .lagMillis()
                                        .map(Long::doubleValue)
                                        .orElse(Double.NaN)))
                        .description("age of the oldest record from the source that may not be applied here")
                        .baseUnit("milliseconds")
                        .tag("source", from)
                        .register(meters);
                Gauge.builder(
                                "iotdr.replication.backlog",
                                lag,
                                l -> safely(() -> (double) l.of(source).inFlight()))
                        .description("records read from the source and not yet applied")
                        .tag("source", from)
                        .register(meters);
                for (var outcome :
                        java.util.Map.<String, java.util.function.ToDoubleFunction<ReplicationProgress.Source>>of(
                                        "applied", ReplicationProgress.Source::applied,
                                        "skipped", ReplicationProgress.Source::skipped,
                                        "failed", ReplicationProgress.Source::failedCount,
                                        "parked", ReplicationProgress.Source::parkedCount)
                                .entrySet()) {
                    FunctionCounter.builder("iotdr.replication.records", stats, outcome.getValue())
                            .tag("source", from)
                            .tag("outcome", outcome.getKey())
                            .register(meters);
                }
            }
            Gauge.builder("iotdr.replication.dead.letters", deadLetters, d -> safely(() -> (double) d.count()))
                    .description("devices parked after repeated failures")
                    .register(meters);
            FunctionCounter.builder("iotdr.replication.gaps", gaps, StreamGaps::count)
                    .description("stream records lost before they were read (retention, replaced streams)")
                    .register(meters);
            Gauge.builder(
                            "iotdr.replication.drift",
                            jobs,
                            j -> safely(() -> (double) j.lastAudit()
                                    .map(job -> job.counts().drift())
                                    .orElse(0L)))
                    .description("differences found by the last finished audit")
                    .register(meters);
        };
    }

    private static double safely(java.util.function.DoubleSupplier read) {
        try {
            return read.getAsDouble();
        } catch (RuntimeException unavailable) {
            return Double.NaN;
        }
    }
}
