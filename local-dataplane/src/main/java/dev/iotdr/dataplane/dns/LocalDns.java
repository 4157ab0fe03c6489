package dev.iotdr.dataplane.dns;

import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The local stack's DNS for the fleet's domain: answers {@code iot.<domain>}, {@code api.<domain>} and the rest
 * of the hosted zone from Route 53 as Route 53 would (failover by probed health checks, CNAME chains, stored
 * TTLs), and the regional AWS names those records point at, on one port over UDP and TCP.
 */
public final class LocalDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalDns.class);
    /** How often the zone is read when nobody says otherwise. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

    private final FleetDomain domain;
    private final InetAddress bindAddress;
    private final int requestedPort;
    private final Duration refreshInterval;
    private final Route53ZoneReader reader;
    private final AtomicReference<Optional<ZoneView>> view = new AtomicReference<>(Optional.empty());
    private final HealthCheckers healthCheckers;
    private final DnsAnswers answers;
    private ScheduledExecutorService refresher;
    private DnsListeners listeners;
    private volatile boolean zoneRead;
    private boolean failing;
    private boolean zoneMissing;
    private boolean closed;

    /**
     * @param route53 where the hosted zone and health checks are read (the global endpoint)
     * @param domain the fleet's domain; the hosted zone is named after it
     * @param bindAddress where to listen, e.g. {@code 127.0.0.1}
     * @param port the port for both UDP and TCP; 0 picks a free one
     * @param regionAddresses the loopback address of each region, for the AWS names outside the zone
     * @param refreshInterval how often the zone is read again
     */
    public LocalDns(
            Route53Client route53,
            FleetDomain domain,
            InetAddress bindAddress,
            int port,
            Map<Region, InetAddress> regionAddresses,
            Duration refreshInterval) {
        this.domain = Objects.requireNonNull(domain, "a fleet domain is required");
        this.bindAddress = Objects.requireNonNull(bindAddress, "a bind address is required");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free one) to 65535, was " + port);
        }
        this.requestedPort = port;
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, was " + refreshInterval);
        }
        this.refreshInterval = refreshInterval;
        this.reader = new Route53ZoneReader(route53, domain);
        OutsideNames outside = new OutsideNames(regionAddresses);
        // the probe resolves a check's domain name through this DNS, as Route 53's checkers use public DNS
        AtomicReference<DnsAnswers> self = new AtomicReference<>();
        EndpointProbe probe = new EndpointProbe(fqdn -> resolve(self.get(), fqdn));
        this.healthCheckers = new HealthCheckers(probe::probe);
        this.answers = new DnsAnswers(
                view::get, healthCheckers::healthy, outside, Name.fromConstantString(domain.name() + "."));
        self.set(answers);
    }

    /** Binds the port and starts reading the zone and answering. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this local DNS is closed");
        }
        if (listeners != null) {
            return;
        }
        try {
            listeners = DnsListeners.start(bindAddress, requestedPort, answers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort, e);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("dns-zone-refresh").factory());
        refresher.scheduleWithFixedDelay(this::refreshSafely, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info(
                "local DNS for {} listening on {}:{} (UDP and TCP), reading the zone every {}",
                domain,
                bindAddress.getHostAddress(),
                listeners.port(),
                refreshInterval);
    }

    /** The port both listeners are bound to. */
    public synchronized int port() {
        if (listeners == null) {
            throw new IllegalStateException("not started");
        }
        return listeners.port();
    }

    /** Whether it is listening and has read the hosted zone from Route 53 at least once. */
    public synchronized boolean ready() {
        return listeners != null && !closed && zoneRead;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (listeners != null) {
            listeners.close();
        }
        healthCheckers.close();
    }

    /** One scheduled refresh; nothing it meets may end the schedule (a thrown exception would stop it for good). */
    private void refreshSafely() {
        try {
            refresh();
        } catch (RuntimeException unexpected) {
            log.error("refreshing hosted zone {} failed unexpectedly; trying again next interval", domain, unexpected);
        }
    }

    /** Reads the zone; on failure keeps the last good view and says so once per failure streak. */
    private void refresh() {
        Optional<ZoneView> read;
        try {
            read = reader.read();
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn(
                        "cannot read hosted zone {} from Route 53 ({}); answering from the last view read until it can",
                        domain,
                        e.toString());
            }
            return;
        }
        if (failing) {
            failing = false;
            log.info("Route 53 readable again; hosted zone {} refreshed", domain);
        }
        if (read.isEmpty()) {
            if (!zoneMissing) {
                zoneMissing = true;
                log.warn(
                        "Route 53 has no public hosted zone named {}.; names in it answer SERVFAIL until it does",
                        domain);
            }
        } else if (zoneMissing || !zoneRead) {
            zoneMissing = false;
            log.info(
                    "hosted zone {} read: {} record sets",
                    domain,
                    read.get().recordSets().size());
        }
        view.set(read);
        healthCheckers.watch(read.map(ZoneView::healthChecks).orElse(Map.of()));
        if (read.isPresent()) {
            zoneRead = true;
        }
    }

    private static Optional<InetAddress> resolve(DnsAnswers answers, String fqdn) {
        try {
            List<InetAddress> addresses = answers.resolve(Name.fromString(fqdn, Name.root));
            return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.getFirst());
        } catch (IOException | RuntimeException unresolvable) {
            return Optional.empty();
        }
    }
}
