package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.registry.adapter.out.dynamodb.DynamoShardLeases;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.stream.application.CopiedTables;
import dev.iotdr.replication.stream.application.ReplicationLag;
import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One stream replicator per source: every other region in table-copy mode, this region's own stream in
 * global-table mode. Leases and checkpoints always live in this region. In table-copy mode, the same per copied
 * table (the telemetry hot store), with leases and reads in partitions of their own.
 */
@Configuration(proxyBeanMethods = false)
public class StreamAdapterConfiguration {
    private static final Logger log = LoggerFactory.getLogger(StreamAdapterConfiguration.class);

    @Bean
    List<StreamReplicator<?>> streamReplicators(
            RegionalAwsClients clients,
            @Qualifier("sourceCalls") GuardedAwsCalls sourceCalls,
            RegionProperties region,
            ReplicationProperties replication,
            ReplicationIntake intake,
            ShardLeases leases,
            SourceReads reads,
            StreamGaps gaps,
            Clock clock) {
        List<Region> sources = replication.mode() == ReplicationIntake.Mode.TABLE_COPY
                ? region.regionTopology().others(region.self())
                : List.of(region.self());
        StreamReplicator.Settings settings = settings(replication);
        return sources.stream()
                .<StreamReplicator<?>>map(source -> new StreamReplicator<>(
                        source,
                        DynamoStreamShards.devices(
                                clients.dynamoDb(source),
                                clients.dynamoDbStreams(source),
                                sourceCalls,
                                replication.deviceTable()),
                        leases,
                        reads,
                        intake,
                        settings,
                        clock,
                        gaps))
                .toList();
    }

    /**
     * The copied tables' replicators (table-copy mode only; none in AWS, where they are global tables): each item
     * another region's stream shows is put here unless present. A gap in such a stream has no catch-up from the
     * source's table (that would scan it); it is counted and logged, and the cold archive is where a region's hot
     * store is rebuilt from.
     */
    @Bean
    CopiedTables copiedTables(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            @Qualifier("sourceCalls") GuardedAwsCalls sourceCalls,
            RegionProperties region,
            ReplicationProperties replication,
            Clock clock) {
        if (replication.mode() != ReplicationIntake.Mode.TABLE_COPY) {
            return new CopiedTables(List.of());
        }
        StreamReplicator.Settings settings = settings(replication);
        List<CopiedTables.CopiedTable> tables = new ArrayList<>();
        for (String table : replication.copiedTables()) {
            DynamoShardLeases leases = new DynamoShardLeases(
                    clients.dynamoDb(region.self()), calls, replication.coordinationTable(), table);
            WriteOnceCopy copy = new WriteOnceCopy(clients.dynamoDb(region.self()), calls, table);
            StreamGaps gaps = new StreamGaps(
                    () -> log.warn("{}: items another region wrote may not have been copied here", table),
                    "no catch-up for a copied table (it would scan the source's); restore from the archive");
            List<StreamReplicator<?>> replicators = region.regionTopology().others(region.self()).stream()
                    .<StreamReplicator<?>>map(source -> new StreamReplicator<>(
                            table,
                            source,
                            new DynamoStreamShards<>(
                                    clients.dynamoDb(source),
                                    clients.dynamoDbStreams(source),
                                    sourceCalls,
                                    table,
                                    WriteOnceCopy.Item::new,
                                    item -> Optional.empty()),
                            leases,
                            leases,
                            copy,
                            settings,
                            clock,
                            gaps))
                    .toList();
            tables.add(new CopiedTables.CopiedTable(
                    table, replicators, new ReplicationLag(leases, leases, Optional::empty, clock), copy));
        }
        return new CopiedTables(tables);
    }

    /** Per copied table and source: the shared lag (read on scrape, one query per source), as for the devices. */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder copiedTableMeters(CopiedTables copiedTables) {
        return meters -> {
            for (CopiedTables.CopiedTable table : copiedTables.tables()) {
                for (StreamReplicator<?> replicator : table.replicators()) {
                    io.micrometer.core.instrument.Gauge.builder("iotdr.replication.copy.lag", table.lag(), lag -> {
                                try {
                                    return lag.of(replicator.source())
                                            .lagMillis()
                                            .map(Long::doubleValue)
                                            .orElse(Double.NaN);
                                } catch (RuntimeException unreadable) {
                                    return Double.NaN;
                                }
                            })
                            .description("age of the oldest item of a copied table from the source that may not be"
                                    + " here yet")
                            .baseUnit("milliseconds")
                            .tag("table", table.table())
                            .tag("source", replicator.source().code())
                            .register(meters);
                }
            }
        };
    }

    private static StreamReplicator.Settings settings(ReplicationProperties replication) {
        return new StreamReplicator.Settings(
                replication.worker(),
                replication.leaseDuration(),
                replication.attemptsBeforeParking(),
                replication.applyConcurrency(),
                replication.streamRetention());
    }
}
