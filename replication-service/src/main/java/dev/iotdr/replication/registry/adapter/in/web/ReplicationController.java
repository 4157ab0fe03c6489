package dev.iotdr.replication.registry.adapter.in.web;

import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.RegistryAudit;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.application.UseCases.AuditReport;
import dev.iotdr.replication.registry.application.UseCases.CheckReadiness;
import dev.iotdr.replication.registry.application.UseCases.RedriveDeadLetters;
import dev.iotdr.replication.registry.application.UseCases.RedriveReport;
import dev.iotdr.replication.registry.application.UseCases.ResyncRegion;
import dev.iotdr.replication.registry.application.UseCases.ResyncReport;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.domain.DeviceId;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The replication API: status, audit and repair, dead letters, re-sync, per-device readiness. */
@RestController
class ReplicationController {
    private final ReplicationProgress progress;
    private final ReplicationIntake intake;
    private final RegistryAudit audit;
    private final CheckReadiness readiness;
    private final RedriveDeadLetters redrive;
    private final DeadLetters deadLetters;
    private final ResyncRegion resync;
    private final RegionProperties region;

    ReplicationController(
            ReplicationProgress progress,
            ReplicationIntake intake,
            RegistryAudit audit,
            RedriveDeadLetters redrive,
            DeadLetters deadLetters,
            ResyncRegion resync,
            RegionProperties region) {
        this.progress = progress;
        this.intake = intake;
        this.audit = audit;
        this.readiness = audit;
        this.redrive = redrive;
        this.deadLetters = deadLetters;
        this.resync = resync;
        this.region = region;
    }

    /** Per source region: lag of the newest applied record, backlog, counts; parked total; last audit. */
    @GetMapping(path = "/v1/replication/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status() {
        List<Map<String, Object>> sources = progress.sources().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> {
                    ReplicationProgress.Source stats = entry.getValue();
                    Map<String, Object> view = new java.util.LinkedHashMap<>();
                    view.put("region", entry.getKey().code());
                    view.put("lagMillis", stats.lagMillis());
                    view.put("caughtUp", stats.isCaughtUp());
                    view.put("effectiveLagMillis", stats.effectiveLagMillis());
                    view.put(
                            "lastAppliedAt",
                            stats.lastAppliedAt().map(Object::toString).orElse(null));
                    view.put("backlog", stats.backlog());
                    view.put("applied", stats.applied());
                    view.put("skipped", stats.skipped());
                    view.put("failed", stats.failedCount());
                    view.put("parked", stats.parkedCount());
                    return view;
                })
                .toList();
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("region", region.region());
        status.put("mode", intake.mode().name());
        status.put("sources", sources);
        status.put("parkedCount", deadLetters.all().size());
        status.put(
                "lastAudit",
                audit.lastReport()
                        .map(report -> Map.of(
                                "at",
                                report.at().toString(),
                                "devicesChecked",
                                report.devicesChecked(),
                                "driftCount",
                                report.drift().size()))
                        .orElse(null));
        return status;
    }

    @PostMapping(path = "/v1/replication/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    AuditReport audit(@RequestBody(required = false) AuditRequest request) {
        return audit.audit(request != null && Boolean.TRUE.equals(request.repair()));
    }

    @GetMapping(path = "/v1/replication/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    List<DeadLetters.ParkedRecord> deadLetters() {
        return deadLetters.all();
    }

    @PostMapping(path = "/v1/replication/dead-letters/redrive", produces = MediaType.APPLICATION_JSON_VALUE)
    RedriveReport redrive() {
        return redrive.redrive();
    }

    @PostMapping(path = "/v1/replication/resync", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> resync() {
        ResyncReport report = resync.resync();
        return Map.of(
                "recordsCopied", report.recordsCopied(),
                "devicesApplied", report.devicesApplied(),
                "failed", report.failed(),
                "seconds", report.took().toMillis() / 1000.0,
                "devicesPerSecond", report.devicesPerSecond());
    }

    @GetMapping(path = "/v1/devices/{deviceId}/readiness", produces = MediaType.APPLICATION_JSON_VALUE)
    Readiness readiness(@PathVariable String deviceId) {
        return readiness.readiness(DeviceId.of(deviceId));
    }

    /** {@code POST /v1/replication/audit} body. */
    record AuditRequest(Boolean repair) {}
}
