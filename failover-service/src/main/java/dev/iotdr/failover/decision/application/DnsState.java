package dev.iotdr.failover.decision.application;

import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The fleet's failover state as DNS holds it, for every region's decider alike: which region is active, at
 * which generation (one more for every change), when DNS last moved to another region (the fleet-wide
 * cool-down runs from it) and the fleet-wide freeze, if any. All of it lives in one record, so a freeze and
 * a switch are ordered by the same compare-and-swap: a decider that observed the state before a freeze
 * cannot switch after it.
 */
public record DnsState(Region active, long generation, Optional<Instant> switchedAt, Optional<String> freeze) {
    public DnsState {
        if (generation < 1) {
            throw new IllegalArgumentException("generation starts at 1");
        }
    }

    /** The state DNS starts in: {@code active}, never switched, not frozen. */
    public static DnsState initial(Region active) {
        return new DnsState(active, 1, Optional.empty(), Optional.empty());
    }

    /**
     * The next state after a switch to {@code target} at {@code at} (kept to the millisecond, as DNS holds
     * it, so the state returned equals the state read back); a freeze stays.
     */
    public DnsState switchedTo(Region target, Instant at) {
        return new DnsState(target, generation + 1, Optional.of(at.truncatedTo(ChronoUnit.MILLIS)), freeze);
    }

    /** The next generation of the same state (the records were rewritten, nothing else changed). */
    public DnsState rewritten() {
        return new DnsState(active, generation + 1, switchedAt, freeze);
    }

    /** The next state with the freeze set ({@code reason} present) or lifted. */
    public DnsState withFreeze(Optional<String> reason) {
        return new DnsState(active, generation + 1, switchedAt, reason);
    }
}
