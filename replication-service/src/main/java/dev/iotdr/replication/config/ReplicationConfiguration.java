package dev.iotdr.replication.config;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetterRedrive;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.replication.registry.application.RegionResync;
import dev.iotdr.replication.registry.application.RegistryApplier;
import dev.iotdr.replication.registry.application.RegistryAudit;
import dev.iotdr.replication.registry.application.RemoteDeviceTables;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.service.aws.AwsCallSettings;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionReadiness;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.shared.aws.RegionalAwsClients;
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
            RegionRegistry registry, LocalDeviceTable table, AppliedVersions applied, RegionProperties region) {
        return new RegistryApplier(registry, table, applied, region.self());
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
            RegionRegistry registry,
            LocalDeviceTable table,
            AppliedVersions applied,
            ApplyRegistryRecord applier,
            RegionProperties region,
            Clock clock) {
        return new RegistryAudit(registry, table, applied, applier, region.self(), clock);
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(DeadLetters deadLetters, ApplyRegistryRecord applier) {
        return new DeadLetterRedrive(deadLetters, applier);
    }

    @Bean
    RegionResync regionResync(
            LocalDeviceTable table,
            RemoteDeviceTables remotes,
            ApplyRegistryRecord applier,
            RegionProperties region,
            ReplicationProperties replication) {
        List<dev.iotdr.shared.domain.Region> sources = replication.mode() == ReplicationIntake.Mode.TABLE_COPY
                ? region.regionTopology().others(region.self())
                : List.of();
        return new RegionResync(table, remotes, sources, applier, replication.resyncConcurrency());
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
                        () -> iot.getPolicy(r -> r.policyName(replication.devicePolicy()))),
                resources,
                clock);
    }

    /** Lag, outcomes and backlog per source region, and the last audit's drift. */
    @Bean
    MeterBinder replicationMeters(
            ReplicationProgress progress,
            RegionProperties region,
            ReplicationProperties replication,
            RegistryAudit audit) {
        List<dev.iotdr.shared.domain.Region> sources = replication.mode() == ReplicationIntake.Mode.TABLE_COPY
                ? region.regionTopology().others(region.self())
                : List.of(region.self());
        return meters -> {
            for (var source : sources) {
                ReplicationProgress.Source stats = progress.source(source);
                String from = source.code();
                Gauge.builder("iotdr.replication.lag", stats, s -> Math.max(0, s.lagMillis()))
                        .description("ms from a record's write to its registry state applied here, newest record")
                        .baseUnit("milliseconds")
                        .tag("source", from)
                        .register(meters);
                Gauge.builder("iotdr.replication.backlog", stats, ReplicationProgress.Source::backlog)
                        .tag("source", from)
                        .register(meters);
                FunctionCounter.builder("iotdr.replication.records", stats, ReplicationProgress.Source::applied)
                        .tag("source", from)
                        .tag("outcome", "applied")
                        .register(meters);
                FunctionCounter.builder("iotdr.replication.records", stats, ReplicationProgress.Source::skipped)
                        .tag("source", from)
                        .tag("outcome", "skipped")
                        .register(meters);
                FunctionCounter.builder("iotdr.replication.records", stats, ReplicationProgress.Source::failedCount)
                        .tag("source", from)
                        .tag("outcome", "failed")
                        .register(meters);
                FunctionCounter.builder("iotdr.replication.records", stats, ReplicationProgress.Source::parkedCount)
                        .tag("source", from)
                        .tag("outcome", "parked")
                        .register(meters);
            }
            Gauge.builder("iotdr.replication.drift", audit, a -> a.lastReport()
                            .map(r -> r.drift().size())
                            .orElse(0))
                    .description("differences found by the last audit")
                    .register(meters);
        };
    }
}
