package dev.iotdr.failover.decision.adapter.in.web;

import dev.iotdr.failover.decision.application.Audit;
import dev.iotdr.failover.decision.application.DnsState;
import dev.iotdr.failover.decision.application.FailoverCoordinator;
import dev.iotdr.failover.decision.application.FailoverEvent;
import dev.iotdr.failover.decision.application.Leadership;
import dev.iotdr.failover.decision.application.ReplicationLag;
import dev.iotdr.failover.decision.application.ReplicationView;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.domain.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' failover API (see {@code openapi.yaml}). */
@RestController
class FailoverController {
    private final FailoverCoordinator coordinator;
    private final Leadership leadership;
    private final ReplicationLag replication;
    private final RegionProperties region;

    FailoverController(
            FailoverCoordinator coordinator,
            Leadership leadership,
            ReplicationLag replication,
            RegionProperties region) {
        this.coordinator = coordinator;
        this.leadership = leadership;
        this.replication = replication;
        this.region = region;
    }

    /** Every region: health, active or not, last probe, replication lag; and the last decision. */
    @GetMapping(path = "/v1/regions", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> regions() {
        var dns = coordinator.dnsState();
        List<Map<String, Object>> regions = new ArrayList<>();
        for (Region each : region.regionTopology().regions()) {
            RegionHealth health = coordinator.health().get(each);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("region", each.code());
            view.put("health", health.status().name());
            view.put("active", dns.map(state -> state.active().equals(each)).orElse(false));
            view.put("consecutiveFailures", health.consecutiveFailures());
            view.put("lastProbe", health.lastDetail());
            view.put(
                    "firstFailure", health.firstFailure().map(Instant::toString).orElse(null));
            view.put(
                    "declaredUnhealthyAt",
                    health.declaredUnhealthyAt().map(Instant::toString).orElse(null));
            // one read of the region's replication status serves both figures
            Optional<ReplicationView> replicationView = coordinator.replicationOf(each);
            view.put(
                    "replicationLagMillis",
                    replicationView.map(r -> r.lag().toMillis()).orElse(null));
            view.put(
                    "rpoExposureMillis",
                    replicationView
                            .map(coordinator::rpoExposure)
                            .map(Duration::toMillis)
                            .orElse(null));
            regions.add(view);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("observedFrom", region.region());
        answer.put("decider", leadership.isLeader());
        answer.put("activeRegion", dns.map(state -> state.active().code()).orElse(null));
        answer.put("generation", dns.map(DnsState::generation).orElse(null));
        answer.put("freeze", dns.flatMap(DnsState::freeze).orElse(null));
        answer.put(
                "lastSwitchAt",
                dns.flatMap(DnsState::switchedAt).map(Instant::toString).orElse(null));
        answer.put("regions", regions);
        answer.put(
                "lastDecision",
                coordinator
                        .lastDecision()
                        .map(decision -> Map.of(
                                "target", decision.target().code(),
                                "allowed", decision.allowed(),
                                "blockedBy", decision.blockedBy(),
                                "explanation", decision.explanation()))
                        .orElse(null));
        return answer;
    }

    @PostMapping(path = "/v1/failover", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> failover(@RequestBody FailoverRequest request) {
        if (request.targetRegion() == null) {
            throw new IllegalArgumentException("targetRegion is required");
        }
        return view(coordinator.failover(
                Region.of(request.targetRegion()),
                request.reason(),
                Boolean.TRUE.equals(request.force()),
                Trigger.MANUAL));
    }

    @PostMapping(path = "/v1/failback", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> failback(@RequestBody(required = false) FailbackRequest request) {
        FailbackRequest body = request == null ? new FailbackRequest(null, false) : request;
        return view(coordinator.failback(body.reason(), Boolean.TRUE.equals(body.force())));
    }

    @PostMapping(path = "/v1/freeze", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> freeze(@RequestBody FreezeRequest request) {
        if (request.reason() == null || request.reason().isBlank()) {
            throw new IllegalArgumentException("a freeze needs a reason");
        }
        DnsState state = coordinator.freeze(request.reason());
        return Map.of("frozen", true, "reason", request.reason(), "generation", state.generation());
    }

    @DeleteMapping(path = "/v1/freeze", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> unfreeze() {
        DnsState state = coordinator.unfreeze();
        return Map.of("frozen", false, "generation", state.generation());
    }

    @GetMapping(path = "/v1/failover/events", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Map<String, Object>> events(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be 1 to 200");
        }
        return coordinator.events().recent(limit).stream()
                .map(FailoverController::view)
                .toList();
    }

    /**
     * A planned failover to the other region through the rules, an audit that every device is connect-ready
     * there (bounded in time, reported), and a failback through every rule but the cool-down: a drill never
     * forces DNS anywhere, so if the region it started from is unhealthy by then, DNS stays where it is
     * healthy and the drill reports why.
     */
    @PostMapping(path = "/v1/drills", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> drill(@RequestBody(required = false) DrillRequest request) {
        Region active = coordinator
                .dnsState()
                .orElseThrow(() -> new IllegalStateException("DNS is not initialized yet"))
                .active();
        Region target = request != null && request.targetRegion() != null
                ? Region.of(request.targetRegion())
                : region.regionTopology().others(active).getFirst();
        FailoverEvent over = coordinator.failover(target, "drill", false, Trigger.DRILL);
        Audit audit;
        try {
            audit = replication.audit(target);
        } catch (RuntimeException unreadable) {
            // whatever the audit did, the drill still fails back and reports
            audit = new Audit(Optional.empty(), "UNAVAILABLE", Duration.ZERO, Optional.empty());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("target", target.code());
        report.put("devicesNotConnectReady", audit.drift().orElse(null));
        report.put("audit", auditView(audit));
        report.put("failover", view(over));
        FailoverEvent back = null;
        try {
            back = coordinator.drillFailback(active, over.generation());
            report.put("failback", view(back));
        } catch (FailoverCoordinator.FailoverBlocked blocked) {
            report.put("failback", null);
            report.put(
                    "failbackBlocked",
                    Map.of(
                            "blockedBy", blocked.decision().blockedBy(),
                            "explanation", blocked.decision().explanation()));
        } catch (RuntimeException failed) {
            report.put("failback", null);
            report.put(
                    "failbackBlocked",
                    Map.of("blockedBy", List.of(), "explanation", "the failback failed: " + failed.getMessage()));
        }
        report.put(
                "passed",
                audit.drift().filter(drift -> drift == 0).isPresent()
                        && over.firstHealthyRequest().isPresent()
                        && back != null
                        && back.firstHealthyRequest().isPresent());
        return report;
    }

    private static Map<String, Object> auditView(Audit audit) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("jobId", audit.jobId().orElse(null));
        view.put("state", audit.state());
        view.put("seconds", audit.took().toMillis() / 1000.0);
        view.put("drift", audit.drift().orElse(null));
        return view;
    }

    static Map<String, Object> view(FailoverEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.id());
        view.put("trigger", event.trigger().name());
        view.put("from", event.from());
        view.put("to", event.to());
        view.put("reason", event.reason());
        view.put("forced", event.forced());
        view.put(
                "firstFailedProbe",
                event.firstFailedProbe().map(Instant::toString).orElse(null));
        view.put(
                "declaredUnhealthy",
                event.declaredUnhealthy().map(Instant::toString).orElse(null));
        view.put("decided", event.decided().toString());
        view.put("dnsSubmitted", event.dnsSubmitted().toString());
        view.put("dnsInSync", event.dnsInSync().map(Instant::toString).orElse(null));
        view.put(
                "firstHealthyRequest",
                event.firstHealthyRequest().map(Instant::toString).orElse(null));
        view.put("generation", event.generation());
        view.put("rtoSeconds", event.rto().map(d -> d.toMillis() / 1000.0).orElse(null));
        view.put(
                "detectionSeconds",
                event.detection().map(d -> d.toMillis() / 1000.0).orElse(null));
        return view;
    }

    record FailoverRequest(String targetRegion, String reason, Boolean force) {}

    record FailbackRequest(String reason, Boolean force) {}

    record FreezeRequest(String reason) {}

    record DrillRequest(String targetRegion) {}
}
