package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the failover use cases need from the world. */
public final class Ports {
    private Ports() {}

    /** The custom-domain DNS (Route 53): who is active, and the compare-and-swap that changes it. */
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

        /** The region whose target the custom {@code api.} name answers with now. */
        Optional<Region> resolveApi();
    }

    /** Which region is active, at which generation of the DNS state. */
    public record DnsState(Region active, long generation) {}

    /** A DNS change: the new state, when it was submitted, when Route 53 reported it in sync. */
    public record DnsChange(DnsState state, Instant submittedAt, Instant inSyncAt) {}

    /** DNS was not in the state the decider observed: someone else changed it first. Nothing was written. */
    public static final class StaleDnsState extends RuntimeException {
        public StaleDnsState(String message) {
            super(message);
        }
    }

    /** Probes one region: its onboarding service's readiness, an IoT call and a DynamoDB call there. */
    public interface RegionProbe {
        ProbeResult probe(Region region);
    }

    /** One probe's outcome. */
    public record ProbeResult(boolean ok, String detail) {}

    /** Route 53 health-check state changes, as they arrive (CloudWatch alarm to SNS to SQS in AWS). */
    public interface HealthSignals {
        List<HealthSignal> poll();
    }

    /**
     * A region's replication from its sources.
     *
     * @param appliedUpTo everything its sources wrote before this is applied there (the oldest over sources)
     * @param sources the regions it replicates from
     * @param lag its replication lag now: the age of the oldest record that may not be applied, which grows
     *     while a source cannot be read
     */
    public record ReplicationView(Instant appliedUpTo, java.util.Set<Region> sources, Duration lag) {
        public ReplicationView {
            sources = java.util.Set.copyOf(sources);
        }
    }

    /** A region's health check went to ALARM ({@code ok} false) or back to OK. */
    public record HealthSignal(Region region, boolean ok, Instant at, String detail) {}

    /** What a region's replication service says of its replication; empty when it cannot be read. */
    public interface ReplicationLag {
        /** Empty when the service cannot answer or any source's position is unknown. */
        Optional<ReplicationView> viewOf(Region region);

        /** Devices in the region's table that are not connect-ready there; empty when it cannot be read. */
        Optional<Integer> driftOf(Region region);
    }

    /** Whether a region's API serves a healthy request now. */
    public interface ApiCheck {
        boolean serves(Region region);
    }

    /** The durable timeline of failovers, and the freeze, in this decider's region. */
    public interface FailoverEvents {
        void record(FailoverEvent event);

        List<FailoverEvent> recent(int limit);

        Optional<Instant> lastFailoverAt();

        Optional<String> freeze();

        void freeze(String reason);

        void unfreeze();
    }

    /** Which region a Route 53 health check watches, by check id. */
    public interface HealthCheckRegions extends java.util.function.Supplier<java.util.Map<String, Region>> {}

    /** Whether this instance is the decider of its region now. */
    public interface Leadership {
        boolean isLeader();
    }
}
