package dev.iotdr.failover.decision.adapter.out.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.StaleDnsState;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * The records as Route 53 (the local cloud's global emulator) holds them. Leans on no emulator quirk except
 * that the adapter's read-before-write stands in for Route 53's refusal of a mismatched DELETE.
 */
@ExtendWith(LocalCloudExtension.class)
class Route53DnsIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Region AP = Region.of("ap-southeast-2");
    private static final RegionTopology THREE = RegionTopology.of(US, EU, AP);
    private static final FleetDomain DOMAIN = FleetDomain.of("three.iotdr.test");

    @Test
    void onlyTheDecidersMoveTheNamesOnePrimaryAndOneSecondaryChosenByPreference(RegionalAwsClients clients) {
        Route53Client route53 = clients.route53(US);
        Route53Dns dns = new Route53Dns(
                route53,
                DOMAIN,
                THREE,
                Map.of(US, "api-us.three.iotdr.test", EU, "api-eu.three.iotdr.test", AP, "api-ap.three.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());

        DnsState first = dns.initialize(US);
        assertRoles(route53, Map.of(US, ResourceRecordSetFailover.PRIMARY, EU, ResourceRecordSetFailover.SECONDARY));
        assertThat(dns.healthCheckRegions().values())
                .as("health checks exist, as signals")
                .containsExactlyInAnyOrder(US, EU, AP);

        var toAp = dns.switchActive(first, AP);
        assertRoles(route53, Map.of(AP, ResourceRecordSetFailover.PRIMARY, US, ResourceRecordSetFailover.SECONDARY));
        assertThat(dns.resolveApi()).contains(AP);
        assertThat(toAp.state().switchedAt()).isPresent();
        assertThat(dns.current()).contains(toAp.state());

        var toEu = dns.switchActive(toAp.state(), EU);
        assertRoles(route53, Map.of(EU, ResourceRecordSetFailover.PRIMARY, US, ResourceRecordSetFailover.SECONDARY));
        assertThat(toEu.inSyncAt()).isPresent();
    }

    @Test
    void theFreezeLivesInTheSameRecordSoItFencesEverySwitchFromAnOlderView(RegionalAwsClients clients) {
        Route53Dns dns = new Route53Dns(
                clients.route53(EU),
                FleetDomain.of("freeze.iotdr.test"),
                RegionTopology.of(US, EU),
                Map.of(US, "api-us.freeze.iotdr.test", EU, "api-eu.freeze.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());
        DnsState seen = dns.initialize(US);
        String reason =
                "change window CHG-42: \"quoted\", unicode é, and long enough to span strings " + "x".repeat(400);

        DnsState frozen = dns.setFreeze(seen, Optional.of(reason));

        assertThat(dns.current()).contains(frozen);
        assertThat(dns.current().orElseThrow().freeze()).contains(reason);
        assertThatThrownBy(() -> dns.switchActive(seen, EU)).isInstanceOf(StaleDnsState.class);
        assertThatThrownBy(() -> dns.setFreeze(frozen, Optional.of("y".repeat(501))))
                .isInstanceOf(IllegalArgumentException.class);
        DnsState lifted = dns.setFreeze(frozen, Optional.empty());
        assertThat(dns.current()).contains(lifted);
        assertThat(lifted.freeze()).isEmpty();
    }

    @Test
    void aDeciderThatLooksBeforeTheZoneExistsNeverCreatesOne(RegionalAwsClients clients) {
        // A second zone of the same name (the emulator allows it; AWS refuses it) left the two regions'
        // deciders reading different zones: one never saw the records (a failed `up` in a drill series).
        FleetDomain domain = FleetDomain.of("early-reader.iotdr.test");
        Route53Client route53 = clients.route53(EU);
        Route53Dns reader = new Route53Dns(
                route53,
                domain,
                RegionTopology.of(US, EU),
                Map.of(US, "api-us.early-reader.iotdr.test", EU, "api-eu.early-reader.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());

        assertThat(reader.current()).isEmpty();
        assertThat(reader.resolveApi()).isEmpty();
        assertThat(Route53Dns.lowestZoneId(route53, domain.name()))
                .as("no zone created by a reader")
                .isEmpty();

        Route53Dns writer = new Route53Dns(
                clients.route53(US),
                domain,
                RegionTopology.of(US, EU),
                Map.of(US, "api-us.early-reader.iotdr.test", EU, "api-eu.early-reader.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());
        DnsState created = writer.initialize(US);
        assertThat(reader.current()).contains(created);
    }

    @Test
    void recordsMadeByAnEarlierVersionLoseTheirHealthChecksAndExtraSecondaries(RegionalAwsClients clients) {
        FleetDomain domain = FleetDomain.of("legacy.iotdr.test");
        Route53Client route53 = clients.route53(US);
        Route53Dns dns = new Route53Dns(
                route53,
                domain,
                THREE,
                Map.of(US, "api-us.legacy.iotdr.test", EU, "api-eu.legacy.iotdr.test", AP, "api-ap.legacy.iotdr.test"),
                region -> "data-" + region.code() + ".iot.example",
                Duration.ofSeconds(5),
                Clock.systemUTC());
        DnsState state = dns.initialize(US);
        // What the earlier version wrote: every region's record, each with its region's health check.
        Map<String, Region> checks = dns.healthCheckRegions();
        String zone = Route53Dns.lowestZoneId(route53, domain.name()).orElseThrow();
        List<software.amazon.awssdk.services.route53.model.Change> legacy = new java.util.ArrayList<>();
        for (String name : List.of(domain.apiEndpoint(), domain.iotEndpoint())) {
            for (Region region : THREE.regions()) {
                String check = checks.entrySet().stream()
                        .filter(e -> e.getValue().equals(region))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow();
                legacy.add(software.amazon.awssdk.services.route53.model.Change.builder()
                        .action(software.amazon.awssdk.services.route53.model.ChangeAction.UPSERT)
                        .resourceRecordSet(r -> r.name(name)
                                .type(RRType.CNAME)
                                .setIdentifier(region.code())
                                .failover(
                                        region.equals(US)
                                                ? ResourceRecordSetFailover.PRIMARY
                                                : ResourceRecordSetFailover.SECONDARY)
                                .ttl(5L)
                                .healthCheckId(check)
                                .resourceRecords(v -> v.value("target-" + region.code())))
                        .build());
            }
        }
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(legacy)));

        DnsState reconciled = dns.reconcile(state);
        assertThat(reconciled.generation()).isEqualTo(state.generation() + 1);
        assertThat(reconciled.active()).isEqualTo(US);

        assertRoles(
                route53,
                domain,
                Map.of(US, ResourceRecordSetFailover.PRIMARY, EU, ResourceRecordSetFailover.SECONDARY));
        assertThat(dns.current()).contains(reconciled);
        assertThat(dns.reconcile(reconciled)).as("nothing left to change").isEqualTo(reconciled);
    }

    private static void assertRoles(Route53Client route53, Map<Region, ResourceRecordSetFailover> expected) {
        assertRoles(route53, DOMAIN, expected);
    }

    private static void assertRoles(
            Route53Client route53, FleetDomain domain, Map<Region, ResourceRecordSetFailover> expected) {
        String zone = Route53Dns.lowestZoneId(route53, domain.name()).orElseThrow();
        for (String name : List.of(domain.apiEndpoint(), domain.iotEndpoint())) {
            List<ResourceRecordSet> records =
                    route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets().stream()
                            .filter(record -> record.name().equals(name + ".") && record.type() == RRType.CNAME)
                            .toList();
            assertThat(records).as(name).hasSize(expected.size());
            for (ResourceRecordSet record : records) {
                assertThat(record.failover())
                        .as(name + " " + record.setIdentifier())
                        .isEqualTo(expected.get(Region.of(record.setIdentifier())));
                assertThat(record.healthCheckId())
                        .as("no health-check-driven routing on " + name)
                        .isNull();
            }
        }
    }
}
