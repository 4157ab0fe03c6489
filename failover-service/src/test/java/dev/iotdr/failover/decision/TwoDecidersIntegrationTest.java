package dev.iotdr.failover.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.CreateDynamoDBTableOptions;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.failover.decision.adapter.out.dynamodb.DynamoLeadership;
import dev.iotdr.failover.decision.adapter.out.route53.Route53Dns;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.HealthMonitor;
import dev.iotdr.failover.decision.application.StaleDnsState;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;

/**
 * Deciders as deployed, against the local cloud: each region's own lock (in its own region's lock table)
 * and timeline, each instance its own Route 53 adapter and lock client, sharing only Route 53; eu-west-1 runs
 * two instances. The active region fails: exactly one failover happens (the two eu-west-1 instances contend
 * for their region's lock and are never both its holder; a stale view losing the compare-and-swap is
 * FailoverCoordinatorTest's); then the old active region comes back and the new one fails within the
 * cool-down: nobody moves DNS again.
 */
@ExtendWith(LocalCloudExtension.class)
class TwoDecidersIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final RegionTopology TOPOLOGY = RegionTopology.of(US, EU);

    @Test
    void oneDeciderPerRegionMakeExactlyOneFailoverAndNoPingPong(RegionalAwsClients clients) throws Exception {
        for (Region region : TOPOLOGY.regions()) {
            AmazonDynamoDBLockClient.createLockTableInDynamoDB(CreateDynamoDBTableOptions.builder(
                            clients.dynamoDb(region),
                            ProvisionedThroughput.builder()
                                    .readCapacityUnits(5L)
                                    .writeCapacityUnits(5L)
                                    .build(),
                            "two-deciders-lock")
                    .build());
        }
        Fakes.Probes probes = new Fakes.Probes();
        Fakes.Lag lag = new Fakes.Lag();
        lag.set(US, Duration.ofMillis(200));
        lag.set(EU, Duration.ofMillis(200));
        Route53Dns usDns = dns(clients, US);
        Route53Dns euDns = dns(clients, EU);
        usDns.initialize(US);
        DnsState before = euDns.current().orElseThrow();
        Fakes.Events usTimeline = new Fakes.Events();
        Fakes.Events euTimeline = new Fakes.Events();
        // eu-west-1 runs two instances (each its own Route 53 adapter and lock client, one region's lock and
        // timeline), so "exactly one failover" has two candidates; us-east-1 runs one.
        List<FailoverCoordinator> deciders = List.of(
                decider(US, usDns, probes, lag, usTimeline),
                decider(EU, euDns, probes, lag, euTimeline),
                decider(EU, dns(clients, EU), probes, lag, euTimeline));
        List<DynamoLeadership> leaders = List.of(
                new DynamoLeadership(clients.dynamoDb(US), "two-deciders-lock", "decider-us", 3),
                new DynamoLeadership(clients.dynamoDb(EU), "two-deciders-lock", "decider-eu-a", 3),
                new DynamoLeadership(clients.dynamoDb(EU), "two-deciders-lock", "decider-eu-b", 3));
        try {
            for (FailoverCoordinator decider : deciders) {
                decider.tick();
                decider.tick(); // both have seen both regions healthy
            }
            probes.set(US, false);
            run(deciders, leaders, Duration.ofSeconds(8));
            assertThat(euTimeline.all()).singleElement().satisfies(event -> assertThat(event.to())
                    .isEqualTo("eu-west-1"));
            assertThat(usDns.current().orElseThrow().active()).isEqualTo(EU);

            // us-east-1 is back and eu-west-1 fails: within the cool-down neither decider moves DNS, although
            // us-east-1's own timeline holds no failover.
            probes.set(US, true);
            probes.set(EU, false);
            run(deciders, leaders, Duration.ofSeconds(8));

            assertThat(usTimeline.all()).isEmpty();
            assertThat(euTimeline.all()).hasSize(1);
            DnsState after = usDns.current().orElseThrow();
            assertThat(after.active()).isEqualTo(EU);
            assertThat(after.generation()).isEqualTo(2);
            assertThat(after.switchedAt()).isPresent();
            assertThat(usDns.resolveApi()).contains(EU);
            assertThat(bothEuLeading(leaders)).isFalse();
            assertThat(deciders.get(0).lastDecision()).hasValueSatisfying(decision -> assertThat(decision.blockedBy())
                    .containsExactly(dev.iotdr.failover.decision.domain.Rule.COOLDOWN));
            // A view taken before the switch is refused (the adapter compares before it writes).
            assertThatThrownBy(() -> euDns.switchActive(before, EU)).isInstanceOf(StaleDnsState.class);
        } finally {
            for (DynamoLeadership leader : leaders) {
                leader.close();
            }
        }
    }

    private static boolean bothEuLeading(List<DynamoLeadership> leaders) {
        return leaders.get(1).isLeader() && leaders.get(2).isLeader();
    }

    /** Each region's decider loop, ticking while it holds its region's lock, as the service runs it. */
    private static void run(List<FailoverCoordinator> deciders, List<DynamoLeadership> leaders, Duration duration)
            throws InterruptedException {
        List<Thread> loops = new ArrayList<>();
        long until = System.nanoTime() + duration.toNanos();
        for (int i = 0; i < deciders.size(); i++) {
            FailoverCoordinator decider = deciders.get(i);
            DynamoLeadership leader = leaders.get(i);
            loops.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < until) {
                    if (leader.isLeader()) {
                        decider.tick();
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
    }

    private static Route53Dns dns(RegionalAwsClients clients, Region caller) {
        return new Route53Dns(
                clients.route53(caller),
                FleetDomain.of("two-deciders.iotdr.test"),
                TOPOLOGY,
                Map.of(US, "api-us-east-1.two-deciders.iotdr.test", EU, "api-eu-west-1.two-deciders.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    private static FailoverCoordinator decider(
            Region self, Route53Dns dns, Fakes.Probes probes, Fakes.Lag lag, Fakes.Events events) {
        return new FailoverCoordinator(
                self,
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
