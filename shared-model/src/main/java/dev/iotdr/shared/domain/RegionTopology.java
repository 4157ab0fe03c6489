package dev.iotdr.shared.domain;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The regions the fleet runs in, in order of preference: the first is the primary (active unless failed
 * over), the others are hot standbys. Every service is told the topology and its own region; none hard-codes
 * a region.
 */
public record RegionTopology(List<Region> regions) {
    public RegionTopology {
        Checks.required("regions", regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a topology needs at least one region");
        }
        if (new LinkedHashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("regions must be distinct, got " + regions);
        }
        regions = List.copyOf(regions);
    }

    public static RegionTopology of(Region... regions) {
        return new RegionTopology(List.of(regions));
    }

    public Region primary() {
        return regions.getFirst();
    }

    public boolean contains(Region region) {
        return regions.contains(region);
    }

    /** Every region except {@code self}: where a record written in {@code self} must be replicated to. */
    public List<Region> others(Region self) {
        if (!contains(self)) {
            throw new IllegalArgumentException(self + " is not one of " + regions);
        }
        return regions.stream().filter(region -> !region.equals(self)).toList();
    }
}
