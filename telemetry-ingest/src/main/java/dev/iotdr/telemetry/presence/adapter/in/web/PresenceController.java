package dev.iotdr.telemetry.presence.adapter.in.web;

import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import dev.iotdr.telemetry.presence.application.PresenceStore;
import dev.iotdr.telemetry.presence.domain.DevicePresence;
import dev.iotdr.telemetry.presence.domain.RegionPresence;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/fleet/presence}: devices connected per region (one read per region, whatever the fleet's size);
 * {@code GET /v1/fleet/presence/{clientId}}: one device, connected or not, where, since when, last seen.
 */
@RestController
class PresenceController {
    private final PresenceStore store;
    private final List<Region> regions;

    PresenceController(PresenceStore store, RegionProperties region) {
        this.store = store;
        this.regions = region.topology().stream().map(Region::of).toList();
    }

    @GetMapping("/v1/fleet/presence")
    Map<String, Object> fleet() {
        return Map.of(
                "regions",
                regions.stream()
                        .map(store::region)
                        .map(PresenceController::json)
                        .toList());
    }

    @GetMapping("/v1/fleet/presence/{clientId}")
    Map<String, Object> device(@PathVariable String clientId) {
        if (clientId.isEmpty() || clientId.length() > 128 || clientId.startsWith("#")) {
            throw new InvalidTelemetry("clientId", "must be 1 to 128 characters, not starting with #");
        }
        List<DevicePresence> seen = store.device(clientId);
        // the newest event across regions says where the device is now (a region that went dark sent no disconnect)
        Optional<DevicePresence> latest = seen.stream()
                .max(Comparator.comparingLong(DevicePresence::lastEventAt).thenComparing(DevicePresence::connected));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("clientId", clientId);
        answer.put("connected", latest.map(DevicePresence::connected).orElse(false));
        answer.put(
                "region",
                latest.filter(DevicePresence::connected)
                        .map(p -> p.region().code())
                        .orElse(null));
        answer.put(
                "since",
                latest.map(p -> Instant.ofEpochMilli(p.since()).toString()).orElse(null));
        answer.put(
                "lastSeen",
                latest.map(p -> Instant.ofEpochMilli(p.lastEventAt()).toString())
                        .orElse(null));
        answer.put(
                "regions",
                seen.stream()
                        .map(p -> {
                            Map<String, Object> region = new LinkedHashMap<>();
                            region.put("region", p.region().code());
                            region.put("connected", p.connected());
                            region.put("since", Instant.ofEpochMilli(p.since()).toString());
                            region.put(
                                    "lastEventAt",
                                    Instant.ofEpochMilli(p.lastEventAt()).toString());
                            region.put("disconnectReason", p.disconnectReason().orElse(null));
                            return region;
                        })
                        .toList());
        return answer;
    }

    private static Map<String, Object> json(RegionPresence presence) {
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("region", presence.region().code());
        region.put("connected", presence.connected());
        region.put(
                "lastEventAt",
                presence.lastEventAt()
                        .map(t -> Instant.ofEpochMilli(t).toString())
                        .orElse(null));
        return region;
    }
}
