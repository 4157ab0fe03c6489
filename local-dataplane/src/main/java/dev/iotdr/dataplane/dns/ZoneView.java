package dev.iotdr.dataplane.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The hosted zone as last read from Route 53: its record sets by owner name and the health checks its records
 * reference. Immutable, so a refresh swaps the whole view and a query never sees half of one.
 */
final class ZoneView {
    private final Name apex;
    private final String zoneId;
    private final List<StoredRecordSet> recordSets;
    private final Map<String, HealthCheckSpec> healthChecks;
    private final Map<Name, List<StoredRecordSet>> byName;
    private final Set<Name> nonTerminals;

    /**
     * @param apex the zone's name
     * @param zoneId the hosted zone id, for log lines
     * @param recordSets every record set, in the order Route 53 listed them
     * @param healthChecks the health checks the record sets reference that Route 53 still knows, by id
     */
    ZoneView(Name apex, String zoneId, List<StoredRecordSet> recordSets, Map<String, HealthCheckSpec> healthChecks) {
        if (apex == null || !apex.isAbsolute()) {
            throw new IllegalArgumentException("a zone needs an absolute apex name, was " + apex);
        }
        this.apex = apex;
        this.zoneId = zoneId;
        this.recordSets = List.copyOf(recordSets);
        this.healthChecks = Map.copyOf(healthChecks);
        Map<Name, List<StoredRecordSet>> names = new HashMap<>();
        Set<Name> ancestors = new HashSet<>();
        for (StoredRecordSet set : this.recordSets) {
            if (!set.name().subdomain(apex)) {
                throw new IllegalArgumentException("record set " + set.name() + " is not in zone " + apex);
            }
            names.computeIfAbsent(set.name(), name -> new ArrayList<>()).add(set);
            for (int drop = 1; drop <= set.name().labels() - apex.labels(); drop++) {
                ancestors.add(new Name(set.name(), drop));
            }
        }
        names.replaceAll((name, list) -> List.copyOf(list));
        this.byName = Map.copyOf(names);
        this.nonTerminals = Set.copyOf(ancestors);
    }

    Name apex() {
        return apex;
    }

    String zoneId() {
        return zoneId;
    }

    List<StoredRecordSet> recordSets() {
        return recordSets;
    }

    Map<String, HealthCheckSpec> healthChecks() {
        return healthChecks;
    }

    /** Whether {@code name} is at or below the apex. */
    boolean contains(Name name) {
        return name.subdomain(apex);
    }

    /** Every record set owned by {@code name}, of any type. */
    List<StoredRecordSet> at(Name name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Whether some record set is owned by a name below {@code name} (which makes it exist, if empty). */
    boolean hasDescendants(Name name) {
        return nonTerminals.contains(name);
    }

    /** The zone's SOA record, for the authority section of negative answers. */
    Optional<SOARecord> soa() {
        return at(apex).stream()
                .filter(set -> set.type() == Type.SOA)
                .flatMap(set -> set.records().stream())
                .map(SOARecord.class::cast)
                .findFirst();
    }

    /** The health check ids the record sets reference. */
    Set<String> referencedHealthChecks() {
        Set<String> ids = new HashSet<>();
        recordSets.forEach(set -> set.healthCheckId().ifPresent(ids::add));
        return ids;
    }
}
