package dev.iotdr.failover.decision.application;

import java.time.Instant;
import java.util.Optional;

/**
 * A DNS change: the new state, when it was submitted, and when Route 53 reported it in sync (empty if it
 * did not within the adapter's bound: the change is applied, but its propagation was not confirmed).
 */
public record DnsChange(DnsState state, Instant submittedAt, Optional<Instant> inSyncAt) {}
