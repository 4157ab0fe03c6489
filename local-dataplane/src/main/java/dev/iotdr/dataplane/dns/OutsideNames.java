package dev.iotdr.dataplane.dns;

import dev.iotdr.shared.domain.Region;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The names AWS's public DNS serves outside the hosted zone, which the zone's CNAMEs point at: a region's IoT
 * data endpoints ({@code <prefix>-ats.iot.<region>.amazonaws.com}) and load balancers
 * ({@code <name>.<region>.elb.amazonaws.com}). Locally each region is one loopback address.
 */
record OutsideNames(Map<Region, InetAddress> addresses) {
    /** What AWS gives these names (load balancer and IoT endpoint records carry 60 s). */
    static final long TTL = 60;

    OutsideNames {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one region -> address is required");
        }
        addresses = Map.copyOf(addresses);
    }

    /** The address of the region {@code name} belongs to, if it is one of these names. */
    Optional<InetAddress> addressOf(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        for (Map.Entry<Region, InetAddress> region : addresses.entrySet()) {
            String code = region.getKey().code();
            if (text.endsWith(".iot." + code + ".amazonaws.com") || text.endsWith("." + code + ".elb.amazonaws.com")) {
                return Optional.of(region.getValue());
            }
        }
        return Optional.empty();
    }
}
