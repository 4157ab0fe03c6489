package dev.iotdr.dataplane.dns;

import dev.iotdr.shared.domain.FleetDomain;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * Reads the fleet's hosted zone from Route 53 into a {@link ZoneView}: the zone by name, every record set
 * (paged), and the health checks those record sets reference. The work is bounded by the zone (a handful of
 * records), never by the fleet.
 */
final class Route53ZoneReader {
    private static final Logger log = LoggerFactory.getLogger(Route53ZoneReader.class);
    /** Route 53's default when a check does not say (the emulator stores its own defaults). */
    private static final int DEFAULT_INTERVAL = 30;

    private static final int DEFAULT_THRESHOLD = 3;
    private static final Pattern EMULATOR_WRAPPED = Pattern.compile("\\{'Value': '(.*)'}");

    private final Route53Client route53;
    private final Name apex;
    private final String fqdn;
    private volatile List<String> warnedDuplicates = List.of();
    private final Set<String> warnedValues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Route53ZoneReader(Route53Client route53, FleetDomain domain) {
        this.route53 = Objects.requireNonNull(route53, "a Route 53 client is required");
        this.fqdn = domain.name() + ".";
        this.apex = Name.fromConstantString(fqdn);
    }

    /**
     * The zone as Route 53 holds it now, or empty when there is no public zone of this name yet.
     *
     * @throws RuntimeException when Route 53 cannot be read (the caller keeps its last view)
     */
    Optional<ZoneView> read() {
        Optional<String> zoneId = zoneId();
        if (zoneId.isEmpty()) {
            return Optional.empty();
        }
        List<StoredRecordSet> sets = new ArrayList<>();
        for (ResourceRecordSet stored : recordSets(zoneId.get())) {
            toStored(stored).ifPresent(sets::add);
        }
        Map<String, HealthCheckSpec> checks = new HashMap<>();
        sets.stream().flatMap(set -> set.healthCheckId().stream()).distinct().forEach(id -> healthCheck(id)
                .ifPresent(spec -> checks.put(id, spec)));
        return Optional.of(new ZoneView(apex, zoneId.get(), sets, checks));
    }

    /**
     * The public zone of this name with the lowest id (without the {@code /hostedzone/} prefix the emulator
     * leaves out), the same rule the failover deciders use; the emulator allows two zones of one name, AWS
     * does not.
     */
    private Optional<String> zoneId() {
        List<String> ids = new ArrayList<>();
        String dnsName = fqdn;
        String zoneMarker = null;
        while (true) {
            String name = dnsName;
            String marker = zoneMarker;
            ListHostedZonesByNameResponse page =
                    route53.listHostedZonesByName(r -> r.dnsName(name).hostedZoneId(marker));
            boolean past = false;
            for (HostedZone zone : page.hostedZones()) {
                if (!zone.name().equalsIgnoreCase(fqdn)) {
                    past = true; // AWS lists from the name on, in order: every later zone has another name
                    continue;
                }
                if (zone.config() != null && Boolean.TRUE.equals(zone.config().privateZone())) {
                    continue; // a private zone answers inside a VPC only, not the devices' DNS
                }
                ids.add(zone.id().replace("/hostedzone/", ""));
            }
            if (past || !Boolean.TRUE.equals(page.isTruncated()) || page.nextDNSName() == null) {
                break;
            }
            dnsName = page.nextDNSName();
            zoneMarker = page.nextHostedZoneId();
        }
        ids.sort(null);
        if (ids.size() > 1 && !ids.equals(warnedDuplicates)) {
            warnedDuplicates = List.copyOf(ids);
            log.warn(
                    "{} hosted zones are named {} ({}); answering from {}, the lowest id",
                    ids.size(),
                    fqdn,
                    ids,
                    ids.getFirst());
        }
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.getFirst());
    }

    /** Every record set, paged; a set seen twice (a page restarting at a name) counts once. */
    private List<ResourceRecordSet> recordSets(String zoneId) {
        Map<List<String>, ResourceRecordSet> sets = new LinkedHashMap<>();
        String startName = null;
        String startType = null;
        String startIdentifier = null;
        while (true) {
            String name = startName;
            String type = startType;
            String identifier = startIdentifier;
            ListResourceRecordSetsResponse page = route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)
                    .startRecordName(name)
                    .startRecordType(type)
                    .startRecordIdentifier(identifier));
            int before = sets.size();
            for (ResourceRecordSet set : page.resourceRecordSets()) {
                sets.putIfAbsent(
                        java.util.Arrays.asList(
                                set.name().toLowerCase(java.util.Locale.ROOT), set.typeAsString(), set.setIdentifier()),
                        set);
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            if (sets.size() == before) {
                log.warn(
                        "Route 53 paged zone {} without progress at {} {}; using the {} record sets read",
                        zoneId,
                        name,
                        type,
                        sets.size());
                break;
            }
            startName = page.nextRecordName();
            startType = page.nextRecordTypeAsString();
            startIdentifier = page.nextRecordIdentifier();
        }
        return List.copyOf(sets.values());
    }

    private Optional<StoredRecordSet> toStored(ResourceRecordSet stored) {
        int type = Type.value(stored.typeAsString());
        if (type < 0) {
            warnOnce(
                    stored.name() + " " + stored.typeAsString(),
                    "record set {} has type {}, unknown here; not answered",
                    stored.name(),
                    stored.typeAsString());
            return Optional.empty();
        }
        Name name;
        try {
            name = Name.fromString(stored.name(), Name.root);
        } catch (TextParseException badName) {
            warnOnce(stored.name(), "record set name {} is not a DNS name; not answered", stored.name(), "");
            return Optional.empty();
        }
        if (!name.subdomain(apex)) {
            return Optional.empty();
        }
        long ttl = stored.ttl() == null ? 0 : stored.ttl();
        List<org.xbill.DNS.Record> records = new ArrayList<>();
        for (ResourceRecord value : stored.resourceRecords()) {
            try {
                records.add(org.xbill.DNS.Record.fromString(
                        name, type, DClass.IN, ttl, unwrapped(value.value()), Name.root));
            } catch (IOException | RuntimeException unreadable) {
                warnOnce(
                        stored.name() + " " + value.value(),
                        "value {} of {} does not parse; left out",
                        value.value(),
                        stored.name());
            }
        }
        Optional<Name> alias = Optional.empty();
        if (stored.aliasTarget() != null && stored.aliasTarget().dnsName() != null) {
            try {
                alias = Optional.of(Name.fromString(stored.aliasTarget().dnsName(), Name.root));
            } catch (TextParseException badTarget) {
                warnOnce(
                        stored.name() + " alias",
                        "alias target of {} is not a DNS name; not answered",
                        stored.name(),
                        "");
                return Optional.empty();
            }
        }
        if (records.isEmpty() && alias.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> setIdentifier = Optional.ofNullable(stored.setIdentifier());
        Optional<StoredRecordSet.FailoverRole> role = Optional.empty();
        StoredRecordSet.RoutingPolicy policy;
        if (stored.failover() != null && stored.failover() != ResourceRecordSetFailover.UNKNOWN_TO_SDK_VERSION) {
            policy = StoredRecordSet.RoutingPolicy.FAILOVER;
            role = Optional.of(
                    StoredRecordSet.FailoverRole.valueOf(stored.failover().name()));
        } else if (Boolean.TRUE.equals(stored.multiValueAnswer())) {
            policy = StoredRecordSet.RoutingPolicy.MULTIVALUE;
        } else if (setIdentifier.isPresent()) {
            policy = StoredRecordSet.RoutingPolicy.ONE_OF;
        } else {
            policy = StoredRecordSet.RoutingPolicy.SIMPLE;
        }
        if (policy != StoredRecordSet.RoutingPolicy.SIMPLE && setIdentifier.isEmpty()) {
            warnOnce(
                    stored.name() + " no id",
                    "record set {} has a routing policy but no set identifier; not answered",
                    stored.name(),
                    "");
            return Optional.empty();
        }
        return Optional.of(new StoredRecordSet(
                name, type, records, policy, setIdentifier, role, Optional.ofNullable(stored.healthCheckId()), alias));
    }

    /**
     * The value itself. The emulator returns the SOA it creates with a zone as the text of a Python dict,
     * {@code {'Value': '<soa>'}}; Route 53 returns the bare value.
     */
    static String unwrapped(String value) {
        Matcher wrapped = EMULATOR_WRAPPED.matcher(value);
        return wrapped.matches() ? wrapped.group(1) : value;
    }

    /** The check's settings, or empty when Route 53 no longer has it (its records then count as healthy). */
    private Optional<HealthCheckSpec> healthCheck(String id) {
        HealthCheck check;
        try {
            check = route53.getHealthCheck(r -> r.healthCheckId(id)).healthCheck();
        } catch (NoSuchHealthCheckException gone) {
            warnOnce(
                    "gone " + id,
                    "a record references health check {}, which Route 53 does not have; counted healthy",
                    id,
                    "");
            return Optional.empty();
        }
        HealthCheckConfig config = check.healthCheckConfig();
        HealthCheckSpec.ProbeType type = HealthCheckSpec.ProbeType.of(config.typeAsString());
        int port = config.port() != null ? config.port() : type.tls() ? 443 : 80;
        try {
            return Optional.of(new HealthCheckSpec(
                    id,
                    type,
                    Optional.ofNullable(config.ipAddress()).filter(text -> !text.isBlank()),
                    Optional.ofNullable(config.fullyQualifiedDomainName()).filter(text -> !text.isBlank()),
                    port,
                    config.resourcePath(),
                    Optional.ofNullable(config.searchString()),
                    Duration.ofSeconds(config.requestInterval() != null ? config.requestInterval() : DEFAULT_INTERVAL),
                    config.failureThreshold() != null ? config.failureThreshold() : DEFAULT_THRESHOLD,
                    Boolean.TRUE.equals(config.inverted()),
                    Boolean.TRUE.equals(config.disabled()),
                    Boolean.TRUE.equals(config.enableSNI())));
        } catch (IllegalArgumentException unusable) {
            warnOnce("bad " + id, "health check {} cannot be probed ({}); counted healthy", id, unusable.getMessage());
            return Optional.empty();
        }
    }

    /** Zone content is read every second: one warning per distinct problem, not one per read. */
    private void warnOnce(String key, String format, Object first, Object second) {
        if (warnedValues.size() > 1000) {
            warnedValues.clear(); // a zone rewritten with ever new bad values must not grow this without bound
        }
        if (warnedValues.add(key)) {
            log.warn(format, first, second);
        }
    }
}
