package dev.iotdr.failover.decision.adapter.out.dynamodb;

import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.CreateDynamoDBTableOptions;
import dev.iotdr.failover.config.FailoverProperties;
import dev.iotdr.failover.decision.application.FailoverEvents;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.config.RegionResources;
import dev.iotdr.service.dynamodb.DynamoTables;
import dev.iotdr.shared.aws.RegionalAwsClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Wires the timeline, the freeze and the decider lock, all in this region, and ensures their tables. */
@Configuration(proxyBeanMethods = false)
public class DynamoConfiguration {

    @Bean
    FailoverEvents failoverEvents(RegionalAwsClients clients, RegionProperties region, FailoverProperties failover) {
        return new DynamoFailoverEvents(clients.dynamoDb(region.self()), failover.eventsTable());
    }

    @Bean(destroyMethod = "close")
    DynamoLeadership leadership(RegionalAwsClients clients, RegionProperties region, FailoverProperties failover) {
        String owner = region.region() + "/" + ProcessHandle.current().pid() + "/" + java.util.UUID.randomUUID();
        return new DynamoLeadership(
                clients.dynamoDb(region.self()),
                failover.lockTable(),
                owner,
                Math.max(2, failover.lockLease().toSeconds()));
    }

    @Bean
    RegionResources.Resource failoverTables(
            RegionalAwsClients clients, GuardedAwsCalls calls, RegionProperties region, FailoverProperties failover) {
        var dynamo = clients.dynamoDb(region.self());
        DynamoTables tables = new DynamoTables(dynamo, calls);
        return new RegionResources.Resource() {
            @Override
            public String name() {
                return "tables " + failover.eventsTable() + " and " + failover.lockTable();
            }

            @Override
            public void ensure() {
                tables.ensureTableWithTtl(failover.eventsTable(), DynamoFailoverEvents.PK, "ttl");
                try {
                    dynamo.describeTable(r -> r.tableName(failover.lockTable()));
                } catch (ResourceNotFoundException absent) {
                    try {
                        AmazonDynamoDBLockClient.createLockTableInDynamoDB(CreateDynamoDBTableOptions.builder(
                                        dynamo,
                                        ProvisionedThroughput.builder()
                                                .readCapacityUnits(5L)
                                                .writeCapacityUnits(5L)
                                                .build(),
                                        failover.lockTable())
                                .build());
                    } catch (ResourceInUseException createdMeanwhile) {
                        // another instance made it
                    }
                }
            }
        };
    }
}
