package dev.iotdr.edge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where the custom name points now, through DNS (dnsjava), honouring TTLs: an answer is used for at most the
 * smallest TTL along its CNAME chain, then the name is asked again; an answer whose address just failed is dropped
 * at once ({@link #failed}). The agent resolves before every connect attempt, and while it waits between attempts
 * whenever its answer has expired, so that a failover reaches it within a TTL.
 *
 * <p>Only one name and one address family (A) are used; the first address of the answer is connected to, as the
 * AWS device SDK does, and every address of the answer counts as where the name points.
 */
public final class EndpointResolver {
    /**
     * One answer: every address it holds, in the order given (the first is the one to connect to), and until when it
     * may be used. A name served by several addresses (IoT Core's endpoints are) may list them in another order at
     * each query: an endpoint is still what the name points at while it is among them.
     */
    public record Answer(List<InetAddress> addresses, Instant expires) {
        public Answer {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("an answer holds at least one address");
            }
        }

        /** The address to connect to: the first, as the AWS device SDK takes it. */
        public InetAddress address() {
            return addresses.getFirst();
        }

        /** Whether {@code endpoint} is one of this answer's addresses. */
        public boolean names(InetAddress endpoint) {
            return addresses.contains(endpoint);
        }
    }

    private final Name name;
    private final String hostName;
    private final Resolver resolver;
    private final Clock clock;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private Answer current;

    /**
     * @param server the DNS server to ask (the local stack's DNS), or empty for the system's configured resolvers
     */
    public EndpointResolver(String hostName, Optional<InetSocketAddress> server, Clock clock) {
        try {
            this.name = Name.fromString(hostName.endsWith(".") ? hostName : hostName + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a host name: " + hostName, e);
        }
        this.hostName = hostName;
        this.clock = clock;
        Resolver chosen = server.<Resolver>map(SimpleResolver::new).orElseGet(ExtendedResolver::new);
        chosen.setTimeout(Duration.ofSeconds(2));
        this.resolver = chosen;
    }

    /** The answer in use if it has not expired, else a new one. */
    public Answer resolve() throws UnknownHostException {
        // a lock, not synchronized: the query blocks, and agents run on virtual threads
        lock.lock();
        try {
            Instant now = clock.instant();
            if (current != null && now.isBefore(current.expires())) {
                return current;
            }
            current = query(now);
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A connect to {@code address} failed: the answer naming it is dropped before its TTL runs out, so the next
     * attempt asks again (a TTL is how long an answer may be kept, never how long it must be; the AWS device SDK's
     * resolver likewise marks an address that failed and resolves again).
     */
    public void failed(InetAddress address) {
        lock.lock();
        try {
            if (current != null && current.names(address)) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The answer in use, if any and unexpired; never asks. */
    public Optional<Answer> cached() {
        lock.lock();
        try {
            return Optional.ofNullable(current).filter(answer -> clock.instant().isBefore(answer.expires()));
        } finally {
            lock.unlock();
        }
    }

    private Answer query(Instant now) throws UnknownHostException {
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
        } catch (IOException e) {
            throw unknown("no answer from DNS: " + e.getMessage());
        }
        if (response.getRcode() != Rcode.NOERROR) {
            throw unknown(Rcode.string(response.getRcode()));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        long ttl = Long.MAX_VALUE;
        Name wanted = name;
        List<InetAddress> addresses = new java.util.ArrayList<>();
        for (Record record : answers) {
            if (!record.getName().equals(wanted)) {
                continue;
            }
            ttl = Math.min(ttl, record.getTTL());
            if (record instanceof CNAMERecord alias) {
                wanted = alias.getTarget();
            } else if (record instanceof ARecord address) {
                addresses.add(
                        InetAddress.getByAddress(hostName, address.getAddress().getAddress()));
            }
        }
        if (addresses.isEmpty()) {
            throw unknown("no address in the answer");
        }
        return new Answer(addresses, now.plusSeconds(ttl));
    }

    private UnknownHostException unknown(String why) {
        return new UnknownHostException(hostName + ": " + why);
    }
}
