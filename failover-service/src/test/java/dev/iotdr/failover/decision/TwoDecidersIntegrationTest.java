package dev.iotdr.failover.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.CreateDynamoDBTableOptions;
import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudConfig;
import dev.iotdr.failover.decision.adapter.dynamodb.DynamoLeadership;
import dev.iotdr.failover.decision.adapter.route53.Route53Dns;
import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.Ports;
import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.failover.support.Fakes;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;

/**
 * Two deciders of the same region at once, each with its own Route 53 adapter and its own lock client,
 * against the local cloud, both seeing the active region down: exactly one failover happens.
 */
class TwoDecidersIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final RegionTopology TOPOLOGY = RegionTopology.of(US, EU);

    @Test
    void twoDecidersAtOnceMakeExactlyOneFailover() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
                RegionalAwsClients clients = new RegionalAwsClients(cloud.awsSettings())) {
            AmazonDynamoDBLockClient.createLockTableInDynamoDB(CreateDynamoDBTableOptions.builder(
                            clients.dynamoDb(EU),
                            ProvisionedThroughput.builder()
                                    .readCapacityUnits(5L)
                                    .writeCapacityUnits(5L)
                                    .build(),
                            "failover-lock")
                    .build());
            Fakes.Probes probes = new Fakes.Probes();
            Fakes.Lag lag = new Fakes.Lag();
            lag.set(EU, Duration.ofMillis(200));
            Fakes.Events events = new Fakes.Events();
            Route53Dns first = dns(clients);
            Route53Dns second = dns(clients);
            first.initialize(US);
            Ports.DnsState before = second.current().orElseThrow();

            List<DynamoLeadership> leaders = List.of(
                    new DynamoLeadership(clients.dynamoDb(EU), "failover-lock", "decider-a", 3),
                    new DynamoLeadership(clients.dynamoDb(EU), "failover-lock", "decider-b", 3));
            List<FailoverCoordinator> deciders =
                    List.of(decider(first, probes, lag, events), decider(second, probes, lag, events));
            for (FailoverCoordinator decider : deciders) {
                decider.tick();
                decider.tick(); // both have seen the primary healthy before it fails
            }
            probes.set(US, false);
            AtomicInteger bothLeading = new AtomicInteger();
            List<Thread> loops = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            for (int i = 0; i < 2; i++) {
                int index = i;
                loops.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < until) {
                        if (leaders.get(0).isLeader() && leaders.get(1).isLeader()) {
                            bothLeading.incrementAndGet();
                        }
                        if (leaders.get(index).isLeader()) {
                            deciders.get(index).tick();
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread loop : loops) {
                loop.join();
            }

            assertThat(events.all()).hasSize(1);
            assertThat(events.all().getFirst().to()).isEqualTo("eu-west-1");
            assertThat(first.current()).contains(new Ports.DnsState(EU, 2));
            assertThat(first.resolveApi()).contains(EU);
            assertThat(bothLeading).hasValue(0);
            // The loser's view is stale; its switch is refused (the adapter compares before it writes).
            assertThatThrownBy(() -> second.switchActive(before, EU)).isInstanceOf(Ports.StaleDnsState.class);
            for (DynamoLeadership leader : leaders) {
                leader.close();
            }
        }
    }

    private static Route53Dns dns(RegionalAwsClients clients) {
        return new Route53Dns(
                clients.route53(EU),
                FleetDomain.of("two-deciders.iotdr.test"),
                TOPOLOGY,
                Map.of(US, "api-us-east-1.two-deciders.iotdr.test", EU, "api-eu-west-1.two-deciders.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    private static FailoverCoordinator decider(
            Route53Dns dns, Fakes.Probes probes, Fakes.Lag lag, Fakes.Events events) {
        return new FailoverCoordinator(
                EU,
                TOPOLOGY,
                new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                new HealthMonitor(TOPOLOGY, probes, 3, 2, Clock.systemUTC()),
                List::of,
                dns,
                lag,
                probes,
                events,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }
}
