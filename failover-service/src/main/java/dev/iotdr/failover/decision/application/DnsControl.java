package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.util.Optional;

/**
 * The custom-domain DNS (Route 53): who is active, and the compare-and-swap that changes it. Only the
 * deciders change it; nothing in DNS itself (no health-check-driven routing) moves the names.
 */
public interface DnsControl {
    /** The state as DNS holds it, if the records exist. */
    Optional<DnsState> current();

    /** Creates zone, health checks and failover records with {@code active} primary, unless they exist. */
    DnsState initialize(Region active);

    /**
     * Makes {@code target} active if DNS is still exactly {@code expected}.
     *
     * @throws StaleDnsState if it is not (another decider changed it first)
     */
    DnsChange switchActive(DnsState expected, Region target);

    /**
     * Sets (reason present) or lifts the fleet-wide freeze if DNS is still exactly {@code expected}.
     *
     * @throws StaleDnsState if it is not
     */
    DnsState setFreeze(DnsState expected, Optional<String> reason);

    /**
     * Brings the records to the shape the current state needs (records made by an earlier version may carry
     * health checks or a SECONDARY per region), fenced like a switch.
     *
     * @return the state after: {@code expected} if nothing changed, else its next generation
     * @throws StaleDnsState if DNS is not {@code expected}
     */
    DnsState reconcile(DnsState expected);

    /** The region whose target the custom {@code api.} name answers with now. */
    Optional<Region> resolveApi();
}
