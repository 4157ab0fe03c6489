package dev.iotdr.replication.registry.adapter.out.dynamodb;

import dev.iotdr.replication.config.ReplicationProperties;
import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.application.RemoteDeviceTables;
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
    RemoteDeviceTables remoteDeviceTables(
            RegionalAwsClients clients,
            @Qualifier("sourceCalls") GuardedAwsCalls sourceCalls,
            ReplicationProperties replication) {
        return new DynamoLocalDeviceTable.Remote(clients::dynamoDb, sourceCalls, replication.deviceTable());
    }

    /** Serves both {@link AppliedVersions} and {@link DeadLetters}. */
    @Bean
    DynamoReplicationState replicationState(
            RegionalAwsClients clients,
            GuardedAwsCalls calls,
            RegionProperties region,
            ReplicationProperties replication) {
        return new DynamoReplicationState(clients.dynamoDb(region.self()), calls, replication.stateTable());
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
                return "tables " + replication.deviceTable() + " and " + replication.stateTable();
            }

            @Override
            public void ensure() {
                tables.ensureDeviceTable(replication.deviceTable());
                tables.ensureTableWithTtl(replication.stateTable(), DynamoReplicationState.PK, "ttl");
                state.forgetEpoch(); // a re-created table starts a new epoch
            }
        };
    }
}
