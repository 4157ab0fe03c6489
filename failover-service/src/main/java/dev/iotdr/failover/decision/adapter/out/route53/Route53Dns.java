package dev.iotdr.failover.decision.adapter.out.route53;

import dev.iotdr.failover.decision.application.DnsChange;
import dev.iotdr.failover.decision.application.DnsControl;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.StaleDnsState;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.RegionTopology;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
 * The fleet's custom names in Route 53. For {@code api.<domain>} and {@code iot.<domain>}: two failover
 * records, PRIMARY for the active region and SECONDARY for the next region in the topology's preference
 * order, <em>without</em> health checks, so Route 53 always answers PRIMARY and only a decider moves the
 * names (Route 53 would otherwise answer SECONDARY on its own when a check failed, bypassing freeze, RPO
 * budget, cool-down and warm-up). One health check per region still exists: its alarms reach the deciders as
 * signals. And {@code _failover.<domain>}, a TXT record holding the fleet's failover state ({@link DnsState}:
 * active region, generation, when DNS last moved, the freeze), which makes every change a compare-and-swap:
 * the change batch deletes the TXT record at the exact value last observed and creates the next one, and
 * Route 53 applies a batch all or nothing, refusing it if the DELETE does not match. The emulator accepts a
 * mismatched DELETE, so the adapter also reads and compares immediately before submitting; on AWS that read
 * is redundant.
 */
public final class Route53Dns implements DnsControl {
    private static final Logger log = LoggerFactory.getLogger(Route53Dns.class);
    private static final Pattern STATE = Pattern.compile("active=([a-z0-9-]+);generation=(\\d+)(?:;switched=(\\d+))?");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final String FREEZE = "freeze=";
    /** Route 53 TXT strings hold at most 255 characters each; a longer freeze reason spans several. */
    private static final int TXT_STRING = 255;
    /** The longest freeze reason the state record carries (its base64 fits well in Route 53's 4,000). */
    public static final int MAX_FREEZE_REASON = 500;

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
        ensureHealthChecks(); // signals for the deciders, never attached to the records
        List<Change> changes = new ArrayList<>();
        Region secondary = secondaryFor(active);
        for (Region region :
                java.util.stream.Stream.of(active, secondary).distinct().toList()) {
            ResourceRecordSetFailover role =
                    region.equals(active) ? ResourceRecordSetFailover.PRIMARY : ResourceRecordSetFailover.SECONDARY;
            changes.add(upsert(domain.apiEndpoint(), region, apiTargets.get(region), role));
            changes.add(upsert(domain.iotEndpoint(), region, iotEndpointOf.apply(region), role));
        }
        DnsState state = DnsState.initial(active);
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
        if (!topology.contains(target)) {
            throw new IllegalArgumentException(target + " is not one of " + topology.regions());
        }
        ResourceRecordSet read = verifyCurrent(expected);
        Instant submitted = clock.instant();
        DnsState next = expected.switchedTo(target, submitted);
        List<Change> changes = new ArrayList<>(stateChanges(read, next));
        changes.addAll(recordChanges(target, false));
        String changeId;
        try {
            changeId = submit(changes);
        } catch (InvalidChangeBatchException lost) {
            throw new StaleDnsState("Route 53 refused the change batch: " + lost.getMessage());
        }
        return new DnsChange(next, submitted, awaitInSync(changeId));
    }

    /**
     * Brings the records to the shape this design needs for the current state (one PRIMARY and one
     * SECONDARY per name, no health check on any), fenced by the state record like a switch (the next
     * generation, same active region, same switch time): records made by an earlier version carried health
     * checks, with which Route 53 would move the names on its own.
     *
     * @return the state after: {@code expected} if nothing had to change, else its next generation
     * @throws StaleDnsState if DNS is not {@code expected}
     */
    @Override
    public synchronized DnsState reconcile(DnsState expected) {
        ResourceRecordSet read = verifyCurrent(expected);
        List<Change> records = recordChanges(expected.active(), true);
        if (records.isEmpty()) {
            return expected;
        }
        DnsState next = expected.rewritten();
        List<Change> changes = new ArrayList<>(stateChanges(read, next));
        changes.addAll(records);
        try {
            submit(changes);
        } catch (InvalidChangeBatchException refused) {
            if (current().filter(expected::equals).isPresent()) {
                // not a lost compare-and-swap: Route 53 will not take these records as they are
                throw new IllegalStateException(
                        "Route 53 refused reconciling the failover records: " + refused.getMessage(), refused);
            }
            throw new StaleDnsState("Route 53 refused the change batch: " + refused.getMessage());
        }
        log.info("failover records of {} reconciled: {} changes", domain, records.size());
        return next;
    }

    /** The record changes that make {@code target} PRIMARY and the next in preference SECONDARY. */
    private List<Change> recordChanges(Region target, boolean onlyWhatDiffers) {
        List<Change> changes = new ArrayList<>();
        Region secondary = secondaryFor(target);
        for (String name : List.of(domain.apiEndpoint(), domain.iotEndpoint())) {
            Map<String, ResourceRecordSet> existing = new HashMap<>();
            records(name, RRType.CNAME).forEach(record -> existing.put(record.setIdentifier(), record));
            for (ResourceRecordSet record : existing.values()) {
                String region = record.setIdentifier();
                if (!region.equals(target.code()) && !region.equals(secondary.code())) {
                    // one PRIMARY and one SECONDARY per name: a third region's record goes (exact match)
                    changes.add(Change.builder()
                            .action(ChangeAction.DELETE)
                            .resourceRecordSet(record)
                            .build());
                }
            }
            for (Region region :
                    java.util.stream.Stream.of(target, secondary).distinct().toList()) {
                ResourceRecordSetFailover role =
                        region.equals(target) ? ResourceRecordSetFailover.PRIMARY : ResourceRecordSetFailover.SECONDARY;
                ResourceRecordSet known = existing.get(region.code());
                if (onlyWhatDiffers && known != null && known.failover() == role && known.healthCheckId() == null) {
                    continue;
                }
                String value = known != null
                        ? known.resourceRecords().getFirst().value()
                        : name.equals(domain.apiEndpoint()) ? apiTargets.get(region) : iotEndpointOf.apply(region);
                changes.add(upsert(name, region, value, role));
            }
        }
        return changes;
    }

    @Override
    public synchronized DnsState setFreeze(DnsState expected, Optional<String> reason) {
        reason.ifPresent(text -> {
            if (text.isBlank() || text.length() > MAX_FREEZE_REASON) {
                throw new IllegalArgumentException("a freeze reason must be 1 to " + MAX_FREEZE_REASON + " characters");
            }
        });
        ResourceRecordSet read = verifyCurrent(expected);
        DnsState next = expected.withFreeze(reason);
        try {
            // No wait for INSYNC: the change batch is applied (or refused) as one, and deciders read the
            // records through the API, which shows it at once; waiting would hold the lock for a minute.
            submit(stateChanges(read, next));
        } catch (InvalidChangeBatchException lost) {
            throw new StaleDnsState("Route 53 refused the change batch: " + lost.getMessage());
        }
        return next;
    }

    /**
     * The state record exactly as Route 53 holds it (value and TTL), if it holds {@code expected}: the
     * compare-and-swap deletes that exact record, so a TTL changed in the settings or a record written by
     * hand in another form never makes a DELETE mismatch forever.
     */
    private ResourceRecordSet verifyCurrent(DnsState expected) {
        ResourceRecordSet read =
                find(stateName(), RRType.TXT, null).orElseThrow(() -> new StaleDnsState("no failover records exist"));
        DnsState seen = parse(read.resourceRecords().getFirst().value());
        if (!seen.equals(expected)) {
            throw new StaleDnsState("DNS holds " + seen + ", not " + expected);
        }
        return read;
    }

    private List<Change> stateChanges(ResourceRecordSet read, DnsState next) {
        return List.of(
                Change.builder()
                        .action(ChangeAction.DELETE)
                        .resourceRecordSet(read)
                        .build(),
                txt(ChangeAction.CREATE, next));
    }

    /** The region that gets the SECONDARY records while {@code active} is PRIMARY: next in preference. */
    private Region secondaryFor(Region active) {
        List<Region> others = topology.others(active);
        return others.isEmpty() ? active : others.getFirst();
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

    private Change upsert(String name, Region region, String target, ResourceRecordSetFailover role) {
        return Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(r -> r.name(name)
                        .type(RRType.CNAME)
                        .setIdentifier(region.code())
                        .failover(role)
                        .ttl(ttlSeconds)
                        .resourceRecords(v -> v.value(target)))
                .build();
    }

    private Change txt(ChangeAction action, DnsState state) {
        return Change.builder()
                .action(action)
                .resourceRecordSet(r -> r.name(stateName())
                        .type(RRType.TXT)
                        .ttl(ttlSeconds)
                        .resourceRecords(v -> v.value(encode(state))))
                .build();
    }

    /**
     * The TXT value: {@code "active=<region>;generation=<n>[;switched=<epoch ms>]"}, then, when frozen,
     * {@code "freeze=<base64url of the reason>"} split over strings of at most 255 characters.
     */
    static String encode(DnsState state) {
        StringBuilder value = new StringBuilder("\"active=")
                .append(state.active().code())
                .append(";generation=")
                .append(state.generation());
        state.switchedAt().ifPresent(at -> value.append(";switched=").append(at.toEpochMilli()));
        value.append('"');
        state.freeze().ifPresent(reason -> {
            String encoded = FREEZE
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(reason.getBytes(StandardCharsets.UTF_8));
            for (int at = 0; at < encoded.length(); at += TXT_STRING) {
                value.append(" \"")
                        .append(encoded, at, Math.min(encoded.length(), at + TXT_STRING))
                        .append('"');
            }
        });
        return value.toString();
    }

    /**
     * Reads the state record's value. Lenient in form (quoted or not, fields after the known ones ignored),
     * strict in content: a value without an active region and a generation is refused loudly.
     */
    static DnsState parse(String value) {
        List<String> strings = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(value);
        while (quoted.find()) {
            strings.add(quoted.group(1));
        }
        if (strings.isEmpty()) {
            strings.add(value); // an unquoted single string
        }
        Matcher matcher = STATE.matcher(strings.getFirst());
        if (!matcher.lookingAt()) {
            throw new IllegalStateException("unreadable failover state record: " + value);
        }
        Optional<Instant> switched =
                Optional.ofNullable(matcher.group(3)).map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
        String rest = String.join("", strings.subList(1, strings.size()));
        Optional<String> freeze = rest.startsWith(FREEZE)
                ? Optional.of(new String(
                        Base64.getUrlDecoder().decode(rest.substring(FREEZE.length())), StandardCharsets.UTF_8))
                : Optional.empty();
        return new DnsState(Region.of(matcher.group(1)), Long.parseLong(matcher.group(2)), switched, freeze);
    }

    private String submit(List<Change> changes) {
        return route53.changeResourceRecordSets(r -> r.hostedZoneId(zone()).changeBatch(b -> b.changes(changes)))
                .changeInfo()
                .id();
    }

    /**
     * When Route 53 reports the change in sync, or empty if it does not within the bound or cannot be asked:
     * the change is applied either way (the batch was accepted), only its propagation is unconfirmed.
     */
    private Optional<Instant> awaitInSync(String changeId) {
        Instant deadline = clock.instant().plus(IN_SYNC_WITHIN);
        String id = changeId.replace("/change/", "");
        while (clock.instant().isBefore(deadline)) {
            try {
                if (route53.getChange(r -> r.id(id)).changeInfo().status() == ChangeStatus.INSYNC) {
                    return Optional.of(clock.instant());
                }
            } catch (RuntimeException unanswered) {
                log.warn("DNS change {} submitted; its state cannot be read: {}", changeId, unanswered.getMessage());
            }
            try {
                Thread.sleep(1000); // GetChange shares Route 53's 5 requests/s per account
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("DNS change {} applied but not reported in sync within {}", changeId, IN_SYNC_WITHIN);
        return Optional.empty();
    }

    private Optional<ResourceRecordSet> find(String name, RRType type, String setIdentifier) {
        return records(name, type).stream()
                .filter(record -> setIdentifier == null || setIdentifier.equals(record.setIdentifier()))
                .findFirst();
    }

    private List<ResourceRecordSet> records(String name, RRType type) {
        Optional<String> zone = existingZone();
        if (zone.isEmpty()) {
            return List.of(); // no zone yet: only the primary's decider creates it, in initialize
        }
        String fqdn = name.endsWith(".") ? name : name + ".";
        return route53
                .listResourceRecordSets(
                        r -> r.hostedZoneId(zone.get()).startRecordName(fqdn).startRecordType(type))
                .resourceRecordSets()
                .stream()
                .filter(record -> record.name().equals(fqdn) && record.type() == type)
                .toList();
    }

    /** The zone's id if it exists; remembered once seen. Readers never create it. */
    private Optional<String> existingZone() {
        String known = zoneId;
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = lowestZoneId(route53, domain.name());
        found.ifPresent(id -> zoneId = id);
        return found;
    }

    /**
     * The hosted zone's id, created if absent: only writers call this (initialize, which only the primary's
     * decider does, and changes to records that exist); readers use {@link #existingZone()}, so a decider
     * that looks before the zone exists does not create a second one (the emulator allows a second zone with
     * the same name; AWS refuses it). Every caller picks the zone the same way (the lowest id of those with
     * the name). Real ids carry a {@code /hostedzone/} prefix; the emulator's do not.
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
}
