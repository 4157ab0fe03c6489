package dev.iotdr.failover.decision.domain;

/** The rules a failover must pass; each names why one was blocked. */
public enum Rule {
    /** The target is the active region already. */
    TARGET_ALREADY_ACTIVE,
    /** Automatic failover only: the active region is not unhealthy. */
    ACTIVE_REGION_HEALTHY,
    /** The target region is not healthy. */
    TARGET_UNHEALTHY,
    /** The target's replication lag is over the RPO budget, or unknown. */
    REPLICATION_LAG_OVER_BUDGET,
    /** A failover happened too recently. */
    COOLDOWN,
    /** An operator froze failovers. */
    FROZEN
}
