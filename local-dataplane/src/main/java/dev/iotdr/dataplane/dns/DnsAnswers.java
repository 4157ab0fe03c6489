package dev.iotdr.dataplane.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries from the current {@link ZoneView} as Route 53 would: authoritative for the zone,
 * failover sets chosen by health, CNAME chains followed within the zone and into the {@link OutsideNames},
 * negative answers with the SOA; REFUSED for any other name. Works on wire-format bytes and never throws.
 */
final class DnsAnswers {
    private static final Logger log = LoggerFactory.getLogger(DnsAnswers.class);
    /** Without EDNS a UDP answer holds at most 512 bytes (RFC 1035). */
    static final int CLASSIC_UDP = 512;
    /** The largest UDP answer this server sends whatever EDNS offers (the common DNS flag day value). */
    static final int EDNS_UDP = 1232;
    /** Longer CNAME chains are loops or mistakes; Route 53 stops as well. */
    private static final int MAX_CHAIN = 16;

    private final Supplier<Optional<ZoneView>> view;
    private final Predicate<String> healthy;
    private final OutsideNames outside;
    private final Name apex;

    /**
     * @param view the zone as last read; empty while Route 53 has no zone of this name
     * @param healthy whether the health check of this id is healthy now
     * @param outside the names outside the zone that AWS serves
     * @param apex the zone's name, to tell our names (answered SERVFAIL while no zone is read) from others
     */
    DnsAnswers(Supplier<Optional<ZoneView>> view, Predicate<String> healthy, OutsideNames outside, Name apex) {
        this.view = view;
        this.healthy = healthy;
        this.outside = outside;
        this.apex = apex;
    }

    /**
     * The answer to a query in wire format, or empty when nothing should be sent back (a response, or too
     * short to carry an id).
     *
     * @param udp whether the answer goes over UDP, where it is truncated to what the client can take
     */
    Optional<byte[]> respond(byte[] query, boolean udp) {
        Message parsed;
        try {
            parsed = new Message(query);
        } catch (IOException | RuntimeException garbage) {
            return formatError(query);
        }
        try {
            if (parsed.getHeader().getFlag(Flags.QR)) {
                return Optional.empty(); // never answer an answer: two servers could ping-pong forever
            }
            Message response = answer(parsed);
            OPTRecord edns = parsed.getOPT();
            int limit = CLASSIC_UDP;
            if (edns != null) {
                limit = Math.max(CLASSIC_UDP, Math.min(edns.getPayloadSize(), EDNS_UDP));
                response.addRecord(new OPTRecord(EDNS_UDP, 0, 0), Section.ADDITIONAL);
            }
            return Optional.of(udp ? response.toWire(limit) : response.toWire());
        } catch (RuntimeException unexpected) {
            log.warn("answering {} failed; SERVFAIL", parsed.getQuestion(), unexpected);
            Message failure = new Message(parsed.getHeader().getID());
            failure.getHeader().setFlag(Flags.QR);
            failure.getHeader().setRcode(Rcode.SERVFAIL);
            return Optional.of(failure.toWire());
        }
    }

    /** The answer to a parsed query, without the EDNS and size handling of the wire. */
    Message answer(Message query) {
        Header asked = query.getHeader();
        Message response = new Message(asked.getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(asked.getOpcode());
        if (asked.getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        if (asked.getOpcode() != Opcode.QUERY) {
            header.setRcode(Rcode.NOTIMP);
            return response;
        }
        Record question = query.getQuestion();
        if (question == null || asked.getCount(Section.QUESTION) != 1) {
            header.setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        int type = question.getType();
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY
                || type == Type.AXFR
                || type == Type.IXFR) {
            header.setRcode(Rcode.REFUSED); // Route 53 serves IN only and no zone transfers
            return response;
        }
        Optional<ZoneView> zone = view.get();
        if (name.subdomain(apex)) {
            if (zone.isEmpty()) {
                header.setRcode(Rcode.SERVFAIL); // our name, but no zone read yet: a resolver should retry
                return response;
            }
            header.setFlag(Flags.AA);
            answerInZone(zone.get(), name, type, response);
            return response;
        }
        Optional<InetAddress> region = outside.addressOf(name);
        if (region.isPresent()) {
            header.setFlag(Flags.AA); // standing in for AWS's servers, which are authoritative for these
            outsideRecord(name, type, region.get()).ifPresent(record -> response.addRecord(record, Section.ANSWER));
            return response;
        }
        header.setRcode(Rcode.REFUSED);
        return response;
    }

    /** The IPv4 addresses {@code name} resolves to through this server, for health checks with a domain name. */
    List<InetAddress> resolve(Name name) {
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        Message response = answer(query);
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress());
            }
        }
        return addresses;
    }

    private void answerInZone(ZoneView zone, Name asked, int type, Message response) {
        Name current = asked;
        Set<Name> visited = new HashSet<>();
        while (visited.add(current) && visited.size() <= MAX_CHAIN) {
            if (!zone.contains(current)) {
                // the chain left the zone: add what AWS's DNS would say for its own names; a resolver does the rest
                Optional<InetAddress> region = outside.addressOf(current);
                if (region.isPresent()) {
                    outsideRecord(current, type, region.get())
                            .ifPresent(record -> response.addRecord(record, Section.ANSWER));
                }
                return;
            }
            Optional<List<StoredRecordSet>> delegation = delegation(zone, current);
            if (delegation.isPresent()) {
                if (response.getSection(Section.ANSWER).isEmpty()) {
                    // a referral: the child zone answers, so this is not authoritative
                    response.getHeader().unsetFlag(Flags.AA);
                    chosen(delegation.get()).forEach(set -> set.records()
                            .forEach(record -> response.addRecord(record, Section.AUTHORITY)));
                }
                return;
            }
            List<StoredRecordSet> sets = zone.at(current);
            if (sets.isEmpty()) {
                sets = wildcard(zone, current);
            }
            if (sets.isEmpty()) {
                if (!zone.hasDescendants(current)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                negative(zone, response);
                return;
            }
            List<StoredRecordSet> cnames =
                    sets.stream().filter(set -> set.type() == Type.CNAME).toList();
            if (!cnames.isEmpty() && type != Type.CNAME) {
                Optional<Name> target = Optional.empty();
                for (Record record : records(zone, chosen(cnames), current, 0)) {
                    response.addRecord(record, Section.ANSWER);
                    if (record instanceof CNAMERecord cname) {
                        target = Optional.of(cname.getTarget());
                    }
                }
                if (target.isEmpty()) {
                    return;
                }
                current = target.get();
                continue;
            }
            Map<Integer, List<StoredRecordSet>> byType = new LinkedHashMap<>();
            sets.stream().filter(set -> type == Type.ANY || set.type() == type).forEach(set -> byType.computeIfAbsent(
                            set.type(), t -> new ArrayList<>())
                    .add(set));
            List<Record> answers = new ArrayList<>();
            for (List<StoredRecordSet> group : byType.values()) {
                answers.addAll(records(zone, chosen(group), current, 0));
            }
            if (answers.isEmpty()) {
                negative(zone, response); // the name exists with other types: NOERROR, no data
                return;
            }
            answers.forEach(record -> response.addRecord(record, Section.ANSWER));
            return;
        }
        log.warn("CNAME chain from {} loops or is longer than {}; answered as far as it goes", asked, MAX_CHAIN);
    }

    /** The records of the chosen sets, owned by {@code owner}; an alias answers with its target's records. */
    private List<Record> records(ZoneView zone, List<StoredRecordSet> sets, Name owner, int depth) {
        List<Record> records = new ArrayList<>();
        for (StoredRecordSet set : sets) {
            if (set.alias().isEmpty()) {
                set.records().forEach(record -> records.add(rename(record, owner)));
                continue;
            }
            Name target = set.alias().get();
            if (zone.contains(target)) {
                List<StoredRecordSet> targetSets = zone.at(target).stream()
                        .filter(candidate -> candidate.type() == set.type())
                        .toList();
                if (depth < MAX_CHAIN && !targetSets.isEmpty()) {
                    records.addAll(records(zone, chosen(targetSets), owner, depth + 1));
                }
            } else {
                outside.addressOf(target)
                        .flatMap(address -> outsideRecord(owner, set.type(), address))
                        .ifPresent(records::add);
            }
        }
        return records;
    }

    /**
     * Which sets of one name and type Route 53 answers. Failover: the PRIMARY if healthy (or unchecked), else
     * the SECONDARY if healthy (or unchecked), else the PRIMARY (Route 53 answers the PRIMARY whenever the
     * SECONDARY is unhealthy). Multivalue: every healthy set, or all when none is. Other policies: the first
     * healthy set by set identifier (one checker location, no latency or geography to weigh).
     */
    List<StoredRecordSet> chosen(List<StoredRecordSet> group) {
        List<StoredRecordSet> simple = group.stream()
                .filter(set -> set.policy() == StoredRecordSet.RoutingPolicy.SIMPLE)
                .toList();
        if (!simple.isEmpty()) {
            return simple.subList(0, 1); // Route 53 holds one simple set per name and type
        }
        Optional<StoredRecordSet> primary = role(group, StoredRecordSet.FailoverRole.PRIMARY);
        Optional<StoredRecordSet> secondary = role(group, StoredRecordSet.FailoverRole.SECONDARY);
        if (primary.isPresent() || secondary.isPresent()) {
            if (primary.filter(this::healthy).isPresent()) {
                return List.of(primary.get());
            }
            if (secondary.filter(this::healthy).isPresent()) {
                return List.of(secondary.get());
            }
            return List.of(primary.or(() -> secondary).orElseThrow());
        }
        List<StoredRecordSet> ordered = group.stream()
                .sorted(Comparator.comparing(set -> set.setIdentifier().orElse("")))
                .toList();
        List<StoredRecordSet> up = ordered.stream().filter(this::healthy).toList();
        List<StoredRecordSet> candidates = up.isEmpty() ? ordered : up;
        boolean multivalue =
                candidates.stream().allMatch(set -> set.policy() == StoredRecordSet.RoutingPolicy.MULTIVALUE);
        return multivalue ? candidates.subList(0, Math.min(8, candidates.size())) : candidates.subList(0, 1);
    }

    private boolean healthy(StoredRecordSet set) {
        return set.healthCheckId().map(healthy::test).orElse(true);
    }

    private static Optional<StoredRecordSet> role(List<StoredRecordSet> group, StoredRecordSet.FailoverRole role) {
        return group.stream()
                .filter(set -> set.failover().filter(role::equals).isPresent())
                .findFirst();
    }

    /** NS sets strictly below the apex at or above {@code name}: a delegated child zone. */
    private static Optional<List<StoredRecordSet>> delegation(ZoneView zone, Name name) {
        for (int drop = 0; drop < name.labels() - zone.apex().labels(); drop++) {
            Name candidate = drop == 0 ? name : new Name(name, drop);
            List<StoredRecordSet> ns = zone.at(candidate).stream()
                    .filter(set -> set.type() == Type.NS)
                    .toList();
            if (!ns.isEmpty()) {
                return Optional.of(ns);
            }
        }
        return Optional.empty();
    }

    /** The record sets of {@code *.<closest encloser>} when {@code name} does not exist (RFC 4592). */
    private static List<StoredRecordSet> wildcard(ZoneView zone, Name name) {
        for (int drop = 1; drop <= name.labels() - zone.apex().labels(); drop++) {
            Name encloser = new Name(name, drop);
            if (!zone.at(encloser).isEmpty() || zone.hasDescendants(encloser)) {
                try {
                    return zone.at(Name.concatenate(Name.fromConstantString("*"), encloser));
                } catch (org.xbill.DNS.NameTooLongException tooLong) {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    private static void negative(ZoneView zone, Message response) {
        zone.soa().ifPresent(soa -> response.addRecord(negativeSoa(soa), Section.AUTHORITY));
    }

    /** The SOA in a negative answer carries the smaller of its TTL and its minimum (RFC 2308). */
    private static SOARecord negativeSoa(SOARecord soa) {
        long ttl = Math.min(soa.getTTL(), soa.getMinimum());
        return new SOARecord(
                soa.getName(),
                DClass.IN,
                ttl,
                soa.getHost(),
                soa.getAdmin(),
                soa.getSerial(),
                soa.getRefresh(),
                soa.getRetry(),
                soa.getExpire(),
                soa.getMinimum());
    }

    private static Optional<Record> outsideRecord(Name name, int type, InetAddress address) {
        if (address instanceof Inet4Address && (type == Type.A || type == Type.ANY)) {
            return Optional.of(new ARecord(name, DClass.IN, OutsideNames.TTL, address));
        }
        if (address instanceof Inet6Address && (type == Type.AAAA || type == Type.ANY)) {
            return Optional.of(new AAAARecord(name, DClass.IN, OutsideNames.TTL, address));
        }
        return Optional.empty();
    }

    private static Record rename(Record record, Name owner) {
        return record.getName().equals(owner) ? record : record.withName(owner);
    }

    /** FORMERR for a packet that does not parse but carries a query's header; nothing otherwise. */
    private static Optional<byte[]> formatError(byte[] query) {
        if (query == null || query.length < Header.LENGTH) {
            return Optional.empty();
        }
        try {
            Header asked = new Header(java.util.Arrays.copyOf(query, Header.LENGTH));
            if (asked.getFlag(Flags.QR)) {
                return Optional.empty();
            }
            Message response = new Message(asked.getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setOpcode(asked.getOpcode());
            response.getHeader().setRcode(Rcode.FORMERR);
            return Optional.of(response.toWire());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
