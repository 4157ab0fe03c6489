package dev.iotdr.failover.decision.domain;

import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The safety rules of a failover. A failover to {@code target} is allowed only when: the target is not
 * active already; (automatic only) the active region is unhealthy; the target is healthy; the target's
 * replication lag is known and within the RPO budget; no cool-down is running (fleet-wide: since DNS last
 * moved, whichever decider moved it; a drill's failback is exempt); nothing is frozen (fleet-wide). A forced
 * failover skips the rules but needs a reason, which is recorded.
 *
 * @param rpoBudget the most replication lag the target may have
 * @param cooldown how long after a failover another one is refused
 */
public record FailoverRules(Duration rpoBudget, Duration cooldown) {

    /** Why a failover was asked for. */
    public enum Trigger {
        AUTOMATIC,
        MANUAL,
        DRILL,
        /**
         * A drill's way back to the region it started from: every rule applies except the cool-down (the
         * drill's own failover just started one), so a drill never forces DNS onto an unhealthy region.
         */
        DRILL_FAILBACK
    }

    /** The verdict: allowed, or blocked by these rules (all that failed, in the order above). */
    public record Decision(Region target, boolean allowed, List<Rule> blockedBy, boolean forced, String explanation) {
        public Decision {
            blockedBy = List.copyOf(blockedBy);
        }
    }

    public Decision decide(Observations seen, Region target, Trigger trigger, boolean force, Optional<String> reason) {
        if (force) {
            if (reason.isEmpty() || reason.get().isBlank()) {
                throw new IllegalArgumentException("a forced failover needs a reason");
            }
            if (target.equals(seen.active())) {
                return new Decision(
                        target, false, List.of(Rule.TARGET_ALREADY_ACTIVE), true, target + " is active already");
            }
            return new Decision(target, true, List.of(), true, "forced: " + reason.get());
        }
        List<Rule> blocked = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (target.equals(seen.active())) {
            blocked.add(Rule.TARGET_ALREADY_ACTIVE);
            why.add(target + " is active already");
        }
        if (trigger == Trigger.AUTOMATIC && !seen.healthOf(seen.active()).unhealthy()) {
            blocked.add(Rule.ACTIVE_REGION_HEALTHY);
            why.add("active region " + seen.active() + " is "
                    + seen.healthOf(seen.active()).status());
        }
        if (!seen.healthOf(target).healthy()) {
            blocked.add(Rule.TARGET_UNHEALTHY);
            why.add("target " + target + " is " + seen.healthOf(target).status());
        }
        Optional<Duration> lag = seen.replicationLag().getOrDefault(target, Optional.empty());
        if (lag.isEmpty() || lag.get().compareTo(rpoBudget) > 0) {
            blocked.add(Rule.REPLICATION_LAG_OVER_BUDGET);
            why.add(lag.map(l -> "replication lag " + l.toMillis() + " ms is over the budget of " + rpoBudget.toMillis()
                            + " ms")
                    .orElse("replication lag of " + target + " is unknown"));
        }
        if (trigger != Trigger.DRILL_FAILBACK
                && seen.lastFailoverAt().isPresent()
                && seen.lastFailoverAt().get().plus(cooldown).isAfter(seen.now())) {
            blocked.add(Rule.COOLDOWN);
            why.add("last failover at " + seen.lastFailoverAt().get() + ", cool-down " + cooldown);
        }
        if (seen.freeze().isPresent()) {
            blocked.add(Rule.FROZEN);
            why.add("frozen: " + seen.freeze().get());
        }
        return new Decision(
                target,
                blocked.isEmpty(),
                blocked,
                false,
                blocked.isEmpty() ? "all rules pass" : String.join("; ", why));
    }
}
