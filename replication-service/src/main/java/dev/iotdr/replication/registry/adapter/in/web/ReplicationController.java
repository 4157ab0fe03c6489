package dev.iotdr.replication.registry.adapter.in.web;

import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.RegistryJobs;
import dev.iotdr.replication.registry.application.ReplicationIntake;
import dev.iotdr.replication.registry.application.ReplicationProgress;
import dev.iotdr.replication.registry.application.UseCases.CheckReadiness;
import dev.iotdr.replication.registry.application.UseCases.RedriveDeadLetters;
import dev.iotdr.replication.registry.application.UseCases.RedriveReport;
import dev.iotdr.replication.registry.domain.Job;
import dev.iotdr.replication.registry.domain.JobKind;
import dev.iotdr.replication.registry.domain.Readiness;
import dev.iotdr.replication.stream.application.ReplicationLag;
import dev.iotdr.replication.stream.application.ReplicationLag.SourceLag;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The replication API: status and lag, audit and re-sync jobs, dead letters, per-device readiness. Every
 * answer reads by key or query: none scans per-device data.
 */
@RestController
class ReplicationController {
    private static final int MAX_PAGE = 500;

    private final ReplicationProgress progress;
    private final ReplicationLag lag;
    private final ReplicationIntake intake;
    private final dev.iotdr.replication.stream.application.CopiedTables copiedTables;
    private final List<Region> sources;
    private final CheckReadiness readiness;
    private final RedriveDeadLetters redrive;
    private final DeadLetters deadLetters;
    private final RegistryJobs jobs;
    private final RegionProperties region;

    ReplicationController(
            ReplicationProgress progress,
            ReplicationLag lag,
            ReplicationIntake intake,
            List<dev.iotdr.replication.stream.application.StreamReplicator<?>> replicators,
            dev.iotdr.replication.stream.application.CopiedTables copiedTables,
            CheckReadiness readiness,
            RedriveDeadLetters redrive,
            DeadLetters deadLetters,
            RegistryJobs jobs,
            RegionProperties region) {
        this.progress = progress;
        this.lag = lag;
        this.intake = intake;
        this.copiedTables = copiedTables;
        this.sources = replicators.stream()
                .map(dev.iotdr.replication.stream.application.StreamReplicator::source)
                .sorted()
                .toList();
        this.readiness = readiness;
        this.redrive = redrive;
        this.deadLetters = deadLetters;
        this.jobs = jobs;
        this.region = region;
    }

    /**
     * Per source region: the shared lag (the same from every instance) and what this instance applied; the
     * dead-letter count; the last finished audit.
     */
    @GetMapping(path = "/v1/replication/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status() {
        List<Map<String, Object>> views = sources.stream()
                .map(source -> {
                    SourceLag read = lag.of(source);
                    ReplicationProgress.Source mine = progress.source(source);
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("region", source.code());
                    view.put("lagMillis", read.lagMillis().orElse(null));
                    view.put("lagUnknownBecause", read.unknownBecause().orElse(null));
                    view.put(
                            "lastPolledAt",
                            read.lastPolledAt().map(Instant::toString).orElse(null));
                    view.put(
                            "appliedUpTo",
                            read.appliedUpTo().map(Instant::toString).orElse(null));
                    view.put("openShards", read.openShards());
                    view.put("ownedShards", read.ownedShards());
                    view.put("inFlight", read.inFlight());
                    view.put("gaps", read.gaps());
                    view.put(
                            "lastGap",
                            read.lastGap()
                                    .map(gap -> Map.of(
                                            "shardId", gap.shardId(),
                                            "cause", gap.cause(),
                                            "at", gap.at().toString()))
                                    .orElse(null));
                    view.put(
                            "thisInstance",
                            Map.of(
                                    "applied", mine.applied(),
                                    "skipped", mine.skipped(),
                                    "failed", mine.failedCount(),
                                    "parked", mine.parkedCount()));
                    return view;
                })
                .toList();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("region", region.region());
        status.put("mode", intake.mode().name());
        status.put("sources", views);
        status.put(
                "copiedTables",
                copiedTables.tables().stream()
                        .map(table -> Map.of(
                                "table",
                                table.table(),
                                "lastFailure",
                                table.sink().lastFailure().orElse(""),
                                "sources",
                                table.replicators().stream()
                                        .map(replicator -> {
                                            SourceLag read = table.lag().of(replicator.source());
                                            Map<String, Object> view = new LinkedHashMap<>();
                                            view.put(
                                                    "region",
                                                    replicator.source().code());
                                            view.put(
                                                    "lagMillis",
                                                    read.lagMillis().orElse(null));
                                            view.put(
                                                    "lagUnknownBecause",
                                                    read.unknownBecause().orElse(null));
                                            view.put(
                                                    "appliedUpTo",
                                                    read.appliedUpTo()
                                                            .map(Instant::toString)
                                                            .orElse(null));
                                            view.put("gaps", read.gaps());
                                            return view;
                                        })
                                        .toList()))
                        .toList());
        status.put("parkedCount", deadLetters.count());
        status.put(
                "lastAudit",
                jobs.lastAudit()
                        .map(audit -> Map.of(
                                "jobId", audit.id(),
                                "at", audit.finishedAt().orElseThrow().toString(),
                                "devicesChecked", audit.counts().scanned(),
                                "driftCount", audit.counts().drift()))
                        .orElse(null));
        return status;
    }

    /** Starts an audit job (optionally repairing); its progress is at the answer's {@code Location}. */
    @PostMapping(path = "/v1/replication/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> audit(@RequestBody(required = false) AuditRequest request) {
        boolean repair = request != null && Boolean.TRUE.equals(request.repair());
        return accepted(jobs.start(repair ? JobKind.AUDIT_AND_REPAIR : JobKind.AUDIT));
    }

    /** Starts a re-sync job: the region rebuilt from the tables at the quota-bound rate. */
    @PostMapping(path = "/v1/replication/resync", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> resync() {
        return accepted(jobs.start(JobKind.RESYNC));
    }

    @GetMapping(path = "/v1/replication/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Map<String, Object>> recentJobs() {
        return jobs.recent(20).stream().map(ReplicationController::view).toList();
    }

    @GetMapping(path = "/v1/replication/jobs/{jobId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> job(@PathVariable String jobId) {
        return jobs.find(jobId).map(ReplicationController::view).orElseThrow(() -> notFound("job " + jobId));
    }

    /** Parked devices, a page at a time in device-id order. */
    @GetMapping(path = "/v1/replication/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> deadLetters(
            @RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        DeadLetters.Page page = deadLetters.page(Optional.ofNullable(after).map(DeviceId::of), limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.records());
        body.put("next", page.next().map(DeviceId::value).orElse(null));
        return body;
    }

    @PostMapping(path = "/v1/replication/dead-letters/redrive", produces = MediaType.APPLICATION_JSON_VALUE)
    RedriveReport redrive() {
        return redrive.redrive();
    }

    @GetMapping(path = "/v1/devices/{deviceId}/readiness", produces = MediaType.APPLICATION_JSON_VALUE)
    Readiness readiness(@PathVariable String deviceId) {
        return readiness.readiness(DeviceId.of(deviceId));
    }

    private static ResponseEntity<Map<String, Object>> accepted(Job job) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/v1/replication/jobs/" + job.id()))
                .body(view(job));
    }

    static Map<String, Object> view(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("kind", job.kind().name());
        view.put("state", job.state().name());
        view.put("phases", job.phases().stream().map(p -> p.code()).toList());
        view.put("phase", job.currentPhase().map(p -> p.code()).orElse(null));
        view.put(
                "segments",
                job.segments().stream()
                        .map(s -> Map.of("index", s.index(), "done", s.done()))
                        .toList());
        view.put("counts", job.counts());
        view.put("driftByKind", job.driftByKind());
        view.put("driftSample", job.driftSample());
        view.put("owner", job.owner().orElse(null));
        view.put("createdAt", job.createdAt().toString());
        view.put("updatedAt", job.updatedAt().toString());
        view.put("finishedAt", job.finishedAt().map(Instant::toString).orElse(null));
        view.put("error", job.error().orElse(null));
        Instant end = job.finishedAt().orElse(job.updatedAt());
        double seconds = Math.max(0.001, Duration.between(job.createdAt(), end).toMillis() / 1000.0);
        view.put("seconds", seconds);
        view.put("devicesAppliedPerSecond", job.counts().applied() / seconds);
        return view;
    }

    private static ErrorResponseException notFound(String what) {
        return new ErrorResponseException(
                HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, what + " does not exist"),
                null);
    }

    /** {@code POST /v1/replication/audit} body. */
    record AuditRequest(Boolean repair) {}
}
