package dev.iotdr.replication.stream.application;

import dev.iotdr.replication.stream.application.ShardLeases.Lease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which leases one worker should take, and which one (at most) it should steal, so that the readable shards
 * end spread evenly over the live workers: no worker holds two more than another. A worker below
 * {@code ceil(shards / workers)} takes free or expired leases first, then steals one lease per poll from a
 * worker holding at least two more than itself, so the fleet converges without leases bouncing.
 */
public final class LeaseBalance {
    private LeaseBalance() {}

    /** What to take and steal. */
    public record Plan(List<Lease> take, Optional<Lease> steal) {}

    public static Plan plan(List<Lease> readable, String me, Set<String> liveWorkers, Instant now) {
        Set<String> live = new HashSet<>(liveWorkers);
        live.add(me);
        int target = (readable.size() + live.size() - 1) / live.size();
        List<Lease> ordered =
                readable.stream().sorted(Comparator.comparing(Lease::shardId)).toList();
        int mine = (int) ordered.stream().filter(l -> l.heldBy(me, now)).count();
        List<Lease> take = new ArrayList<>();
        for (Lease lease : ordered) {
            if (mine + take.size() >= target) {
                break;
            }
            if (lease.free(now)) {
                take.add(lease);
            }
        }
        Optional<Lease> steal = Optional.empty();
        if (mine + take.size() < target) {
            Map<String, List<Lease>> byOwner = new HashMap<>();
            for (Lease lease : ordered) {
                if (!lease.free(now) && !lease.heldBy(me, now)) {
                    byOwner.computeIfAbsent(lease.owner().orElseThrow(), o -> new ArrayList<>())
                            .add(lease);
                }
            }
            int after = mine + take.size();
            steal = byOwner.values().stream()
                    .filter(held -> held.size() >= after + 2) // moving one makes the two closer, never swaps them
                    .max(Comparator.comparingInt(List::size))
                    .map(List::getLast);
        }
        return new Plan(take, steal);
    }
}
