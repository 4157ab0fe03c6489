package dev.iotdr.dataplane.dns;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One Route 53 record set as stored: its records already in wire form (each with the stored TTL), and what
 * routing needs to choose between sets of the same name and type.
 *
 * @param name the owner, absolute
 * @param type the DNS type code
 * @param records the values; empty for an alias
 * @param policy how Route 53 chooses among the sets of this name and type
 * @param setIdentifier the set identifier, for every policy but simple
 * @param failover PRIMARY or SECONDARY, for failover sets
 * @param healthCheckId the health check that decides whether this set may be answered
 * @param alias the record an alias set stands for (answered with the target's records and TTL)
 */
record StoredRecordSet(
        Name name,
        int type,
        List<org.xbill.DNS.Record> records,
        RoutingPolicy policy,
        Optional<String> setIdentifier,
        Optional<FailoverRole> failover,
        Optional<String> healthCheckId,
        Optional<Name> alias) {

    StoredRecordSet {
        if (name == null || !name.isAbsolute()) {
            throw new IllegalArgumentException("a record set needs an absolute name, was " + name);
        }
        Type.check(type);
        records = List.copyOf(records);
        if (records.isEmpty() && alias.isEmpty()) {
            throw new IllegalArgumentException(
                    "record set " + name + " " + Type.string(type) + " has neither values nor an alias target");
        }
        if (policy == RoutingPolicy.FAILOVER && failover.isEmpty()) {
            throw new IllegalArgumentException("failover record set " + name + " needs PRIMARY or SECONDARY");
        }
        if (policy != RoutingPolicy.SIMPLE && setIdentifier.isEmpty()) {
            throw new IllegalArgumentException(
                    "record set " + name + " with policy " + policy + " needs a set identifier");
        }
    }

    /** A simple record set: no routing, no health check. */
    static StoredRecordSet simple(Name name, int type, List<org.xbill.DNS.Record> records) {
        return new StoredRecordSet(
                name,
                type,
                records,
                RoutingPolicy.SIMPLE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** One of a failover pair. */
    static StoredRecordSet failover(
            Name name,
            int type,
            List<org.xbill.DNS.Record> records,
            String setIdentifier,
            FailoverRole role,
            Optional<String> healthCheckId) {
        return new StoredRecordSet(
                name,
                type,
                records,
                RoutingPolicy.FAILOVER,
                Optional.of(setIdentifier),
                Optional.of(role),
                healthCheckId,
                Optional.empty());
    }

    /** The routing policies Route 53 has, as far as answering needs to tell them apart. */
    enum RoutingPolicy {
        SIMPLE,
        FAILOVER,
        MULTIVALUE,
        /** weighted, latency, geolocation, geoproximity, IP-based: one set answers per query. */
        ONE_OF
    }

    /** A failover set's role. */
    enum FailoverRole {
        PRIMARY,
        SECONDARY
    }
}
