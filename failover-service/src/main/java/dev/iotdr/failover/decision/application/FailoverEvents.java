package dev.iotdr.failover.decision.application;

import java.util.List;

/**
 * The durable timeline of failovers in this decider's region (the region that took over keeps the record
 * of how it did). The rules do not read it: the fleet-wide cool-down and freeze live in DNS
 * ({@link DnsState}), which every region's decider reads alike.
 */
public interface FailoverEvents {
    void record(FailoverEvent event);

    List<FailoverEvent> recent(int limit);
}
