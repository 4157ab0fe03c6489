package dev.iotdr.replication.stream.adapter.dynamodb;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.replication.stream.application.StreamGaps;
import dev.iotdr.replication.stream.application.StreamReplicator;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One stream replicator per source: every other region in table-copy mode, this region's own stream in
 * global-table mode. Leases and checkpoints always live in this region.
 */
@Configuration(proxyBeanMethods = false)
public class StreamAdapterConfiguration {

    @Bean
    List<StreamReplicator> streamReplicators(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
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
        StreamReplicator.Settings settings = new StreamReplicator.Settings(
                replication.worker(),
                replication.leaseDuration(),
                replication.attemptsBeforeParking(),
                replication.applyConcurrency(),
                replication.streamRetention());
        return sources.stream()
                .map(source -> new StreamReplicator(
                        source,
                        new DynamoStreamShards(
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
}
