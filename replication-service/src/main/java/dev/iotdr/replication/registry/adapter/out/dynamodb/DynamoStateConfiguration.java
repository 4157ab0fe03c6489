package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.DeviceTableSegments;
import dev.iotdr.replication.registry.application.Jobs;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.stream.application.ShardLeases;
import dev.iotdr.replication.stream.application.SourceReads;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.aws.RegionalAwsClients;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the DynamoDB adapters of the registry feature, and the tables they need in this region. */
@Configuration(proxyBeanMethods = false)
public class DynamoStateConfiguration {

    @Bean
    LocalDeviceTable localDeviceTable(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoLocalDeviceTable(clients.dynamoDb(region.self()), calls, replication.deviceTable());
    }

    /** Other regions' tables go through their own call guard: an outage there must not open this region's breaker. */
    @Bean
    DeviceTableSegments deviceTableSegments(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            @Qualifier("sourceCalls") GuardedAwsCalls sourceCalls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoLocalDeviceTable.Segments(
                clients::dynamoDb, region.self(), calls, sourceCalls, replication.deviceTable());
    }

    @Bean
    Jobs jobs(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoJobs(clients.dynamoDb(region.self()), calls, replication.coordinationTable());
    }

    /** Serves both {@link AppliedVersions} and {@link DeadLetters}. */
    @Bean
    DynamoReplicationState replicationState(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoReplicationState(
                clients.dynamoDb(region.self()), calls, replication.stateTable(), replication.coordinationTable());
    }

    /** Serves both {@link ShardLeases} and {@link SourceReads}, in this region's state table. */
    @Bean
    DynamoShardLeases shardLeases(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoShardLeases(clients.dynamoDb(region.self()), calls, replication.coordinationTable());
    }

    @Bean
    RegionResources.Resource replicationTables(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication,
            DynamoReplicationState state) {
        DynamoTables tables = new DynamoTables(clients.dynamoDb(region.self()), calls);
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "tables " + replication.deviceTable() + ", " + replication.stateTable() + " and "
                        + replication.coordinationTable();
            }

            @Override
            public void ensure() {
                tables.ensureDeviceTable(replication.deviceTable());
                tables.ensureTableWithTtl(
                        ReplicationStateTable.shape(replication.stateTable()), ReplicationStateTable.TTL);
                tables.ensureTableWithTtl(
                        ReplicationStateTable.shape(replication.coordinationTable()), ReplicationStateTable.TTL);
                state.forgetEpoch(); // a re-created table starts a new epoch
            }
        };
    }
}
