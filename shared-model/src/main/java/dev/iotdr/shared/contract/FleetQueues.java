package dev.iotdr.shared.contract;

/**
 * The queues the fleet's topic rules feed in every region, and their redrive: written down once for the data plane
 * (whose rules send to them) and telemetry ingest (which consumes them); both ensure them the same way.
 */
public final class FleetQueues {
    public static final String TELEMETRY = "iotdr-telemetry";
    public static final String TELEMETRY_DEAD_LETTERS = "iotdr-telemetry-dlq";
    public static final String PRESENCE = "iotdr-presence";
    public static final String PRESENCE_DEAD_LETTERS = "iotdr-presence-dlq";

    /**
     * Receives before SQS itself moves a message to the dead-letter queue: the backstop behind the consumer, which
     * parks what it cannot ever store (with the reason) and backs off on what it cannot store now (a message failing
     * for a dependency's outage is received with growing visibility timeouts, about an hour in all before this
     * redrive).
     */
    public static final int REDRIVE_AFTER_RECEIVES = 10;

    private FleetQueues() {}
}
