package dev.iotdr.failover.decision.adapter.route53;

import dev.iotdr.failover.decision.application.Ports.DnsChange;
import dev.iotdr.failover.decision.application.Ports.DnsControl;
import dev.iotdr.failover.decision.application.Ports.DnsState;
import dev.iotdr.failover.decision.application.Ports.StaleDnsState;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * The fleet's custom names in Route 53: for {@code api.<domain>} and {@code iot.<domain>}, one failover
 * record per region (PRIMARY for the active region, SECONDARY for the others), each with a health check
 * on its region's endpoint; and {@code _failover.<domain>}, a TXT record holding the active region and a
 * generation number, which makes every switch a compare-and-swap: the change batch deletes the TXT record
 * at the exact value last observed and creates the next one, and Route 53 applies a batch all or nothing,
 * refusing it if the DELETE does not match. The emulator accepts a mismatched DELETE, so the adapter also
 * reads and compares immediately before submitting; on AWS that read is redundant.
 */
public final class Route53Dns implements DnsControl {
    private static final Logger log = LoggerFactory.getLogger(Route53Dns.class);
    private static final Pattern STATE = Pattern.compile("\"?active=([a-z0-9-]+);generation=(\\d+)\"?");
    private static final Duration IN_SYNC_WITHIN = Duration.ofSeconds(120);

    private final Route53Client route53;
    private final FleetDomain domain;
    private final RegionTopology topology;
    private final Map<Region, String> apiTargets;
    private final Function<Region, String> iotEndpointOf;
    private final long ttlSeconds;
    private final Clock clock;
    private volatile String zoneId;

    public Route53Dns(
            Route53Client route53,
            FleetDomain domain,
            RegionTopology topology,
            Map<Region, String> apiTargets,
            Function<Region, String> iotEndpointOf,
            Duration ttl,
            Clock clock) {
        this.route53 = route53;
        this.domain = domain;
        this.topology = topology;
        this.apiTargets = Map.copyOf(apiTargets);
        this.iotEndpointOf = iotEndpointOf;
        this.ttlSeconds = ttl.toSeconds();
        this.clock = clock;
    }

    @Override
    public Optional<DnsState> current() {
        return find(stateName(), RRType.TXT, null)
                .flatMap(record -> record.resourceRecords().stream().findFirst())
                .map(value -> parse(value.value()));
    }

    @Override
    public synchronized DnsState initialize(Region active) {
        Optional<DnsState> existing = current();
        if (existing.isPresent()) {
            return existing.get();
        }
        Map<Region, String> healthChecks = ensureHealthChecks();
        List<Change> changes = new ArrayList<>();
        for (Region region : topology.regions()) {
            ResourceRecordSetFailover role =
                    region.equals(active) ? ResourceRecordSetFailover.PRIMARY : ResourceRecordSetFailover.SECONDARY;
            changes.add(upsert(domain.apiEndpoint(), region, apiTargets.get(region), role, healthChecks.get(region)));
            changes.add(
                    upsert(domain.iotEndpoint(), region, iotEndpointOf.apply(region), role, healthChecks.get(region)));
        }
        DnsState state = new DnsState(active, 1);
        changes.add(txt(ChangeAction.CREATE, state));
        try {
            submit(changes);
        } catch (InvalidChangeBatchException createdMeanwhile) {
            // Route 53 refuses a second CREATE of the state record: another instance initialized first.
            return current().orElseThrow(() -> createdMeanwhile);
        }
        log.info("created failover records for {} with {} active", domain, active);
        return state;
    }

    @Override
    public synchronized DnsChange switchActive(DnsState expected, Region target) {
        DnsState seen = current().orElseThrow(() -> new StaleDnsState("no failover records exist"));
        if (!seen.equals(expected)) {
            throw new StaleDnsState("DNS holds " + seen + ", not " + expected);
        }
        List<Change> changes = new ArrayList<>();
        changes.add(txt(ChangeAction.DELETE, expected));
        DnsState next = new DnsState(target, expected.generation() + 1);
        changes.add(txt(ChangeAction.CREATE, next));
        for (String name : List.of(domain.apiEndpoint(), domain.iotEndpoint())) {
            for (Region region : topology.regions()) {
                ResourceRecordSet current = find(name, RRType.CNAME, region.code())
                        .orElseThrow(() ->
                                new IllegalStateException("failover record " + name + " of " + region + " is missing"));
                ResourceRecordSetFailover role =
                        region.equals(target) ? ResourceRecordSetFailover.PRIMARY : ResourceRecordSetFailover.SECONDARY;
                changes.add(Change.builder()
                        .action(ChangeAction.UPSERT)
                        .resourceRecordSet(current.toBuilder().failover(role).build())
                        .build());
            }
        }
        Instant submitted = clock.instant();
        String changeId;
        try {
            changeId = submit(changes);
        } catch (InvalidChangeBatchException lost) {
            throw new StaleDnsState("Route 53 refused the change batch: " + lost.getMessage());
        }
        return new DnsChange(next, submitted, awaitInSync(changeId));
    }

    @Override
    public Optional<Region> resolveApi() {
        return records(domain.apiEndpoint(), RRType.CNAME).stream()
                .filter(record -> record.failover() == ResourceRecordSetFailover.PRIMARY)
                .map(ResourceRecordSet::setIdentifier)
                .map(Region::of)
                .findFirst();
    }

    /** Which region each health check watches, for Route 53 health events that name a check. */
    Map<String, Region> healthCheckRegions() {
        Map<String, Region> byId = new HashMap<>();
        ensureHealthChecks().forEach((region, id) -> byId.put(id, region));
        return byId;
    }

    private Map<Region, String> ensureHealthChecks() {
        Map<Region, String> ids = new HashMap<>();
        List<HealthCheck> existing = route53.listHealthChecks().healthChecks();
        for (Region region : topology.regions()) {
            String reference = "iotdr-" + domain.name() + "-" + region.code();
            Optional<String> found = existing.stream()
                    .filter(check -> reference.equals(check.callerReference()))
                    .map(HealthCheck::id)
                    .findFirst();
            ids.put(region, found.orElseGet(() -> route53.createHealthCheck(
                            r -> r.callerReference(reference).healthCheckConfig(c -> c.type(HealthCheckType.HTTPS)
                                    .fullyQualifiedDomainName(apiTargets.get(region))
                                    .resourcePath("/actuator/health/readiness")
                                    .port(443)
                                    .requestInterval(10)
                                    .failureThreshold(3)))
                    .healthCheck()
                    .id()));
        }
        return ids;
    }

    private Change upsert(
            String name, Region region, String target, ResourceRecordSetFailover role, String healthCheck) {
        return Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(r -> r.name(name)
                        .type(RRType.CNAME)
                        .setIdentifier(region.code())
                        .failover(role)
                        .ttl(ttlSeconds)
                        .healthCheckId(healthCheck)
                        .resourceRecords(v -> v.value(target)))
                .build();
    }

    private Change txt(ChangeAction action, DnsState state) {
        return Change.builder()
                .action(action)
                .resourceRecordSet(r -> r.name(stateName())
                        .type(RRType.TXT)
                        .ttl(ttlSeconds)
                        .resourceRecords(v -> v.value(
                                "\"active=" + state.active().code() + ";generation=" + state.generation() + "\"")))
                .build();
    }

    private String submit(List<Change> changes) {
        return route53.changeResourceRecordSets(r -> r.hostedZoneId(zone()).changeBatch(b -> b.changes(changes)))
                .changeInfo()
                .id();
    }

    private Instant awaitInSync(String changeId) {
        Instant deadline = clock.instant().plus(IN_SYNC_WITHIN);
        String id = changeId.replace("/change/", "");
        while (clock.instant().isBefore(deadline)) {
            if (route53.getChange(r -> r.id(id)).changeInfo().status() == ChangeStatus.INSYNC) {
                return clock.instant();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("DNS change " + changeId + " not in sync within " + IN_SYNC_WITHIN);
    }

    private Optional<ResourceRecordSet> find(String name, RRType type, String setIdentifier) {
        return records(name, type).stream()
                .filter(record -> setIdentifier == null || setIdentifier.equals(record.setIdentifier()))
                .findFirst();
    }

    private List<ResourceRecordSet> records(String name, RRType type) {
        String fqdn = name.endsWith(".") ? name : name + ".";
        return route53
                .listResourceRecordSets(
                        r -> r.hostedZoneId(zone()).startRecordName(fqdn).startRecordType(type))
                .resourceRecordSets()
                .stream()
                .filter(record -> record.name().equals(fqdn) && record.type() == type)
                .toList();
    }

    /**
     * The hosted zone's id, created if absent. Every reader picks the zone the same way (the lowest id of
     * those with the name), so that even if two instances created one each (the emulator allows a second
     * zone with the same name; AWS refuses it), all of them converge on one. Real ids carry a
     * {@code /hostedzone/} prefix; the emulator's do not.
     */
    private String zone() {
        String known = zoneId;
        if (known != null) {
            return known;
        }
        Optional<String> existing = lowestZoneId(route53, domain.name());
        if (existing.isEmpty()) {
            try {
                route53.createHostedZone(r -> r.name(domain.name() + ".").callerReference("iotdr-" + domain.name()));
            } catch (software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException createdMeanwhile) {
                // another instance created it
            }
            existing = lowestZoneId(route53, domain.name());
        }
        zoneId = existing.orElseThrow(() -> new IllegalStateException("hosted zone " + domain + " cannot be created"));
        return zoneId;
    }

    /** The id (without prefix) of the zone named {@code domain} with the lowest id, if any. */
    public static Optional<String> lowestZoneId(Route53Client route53, String domain) {
        String fqdn = domain + ".";
        return route53.listHostedZonesByName(r -> r.dnsName(fqdn)).hostedZones().stream()
                .filter(candidate -> candidate.name().equals(fqdn))
                .map(HostedZone::id)
                .map(id -> id.replace("/hostedzone/", ""))
                .sorted()
                .findFirst();
    }

    private String stateName() {
        return "_failover." + domain.name();
    }

    private static DnsState parse(String value) {
        Matcher matcher = STATE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalStateException("unreadable failover state record: " + value);
        }
        return new DnsState(Region.of(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }
}
