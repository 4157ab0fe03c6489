package dev.iotdr.replication.config;

import dev.iotdr.replication.registry.application.ReplicationIntake.Mode;
import dev.iotdr.shared.contract.DevicePolicy;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.contract.TelemetryTable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Replication settings ({@code iotdr.replication.*}).
 *
 * @param mode {@code GLOBAL_TABLE} in AWS (the device table is a global table; read this region's stream),
 *     {@code TABLE_COPY} in the local stack (read every other region's stream and copy newer records here)
 * @param deviceTable the device table, in every region
 * @param stateTable this region's table of per-device replication state: applied versions, dead letters
 * @param coordinationTable this region's small table of shard leases, worker heartbeats, source state, jobs
 *     and counters (apart from per-device items, so that reading it never touches them)
 * @param devicePolicy the IoT policy ensured in this region (the records name the policy they need)
 * @param thingType the fleet's thing type, ensured in this region
 * @param pollInterval how often each stream is polled
 * @param leaseDuration how long a worker holds a shard without renewing it
 * @param attemptsBeforeParking how often a failing record is retried before it is parked
 * @param workerId this worker's name in shard leases; default host and PID
 * @param resyncConcurrency parallel applies during a re-sync (the IoT quotas, paced, set the real rate)
 * @param streamRetention how long the source stream keeps records (24 h on DynamoDB Streams): a shard or
 *     reader idle longer than this may have lost records, which is recorded as a gap
 * @param jobSegments parallel scan segments of an audit or re-sync job's table pass
 * @param jobPageSize items per job page (a job saves its cursor after each page)
 * @param jobLease how long a job stays with a worker that stopped saving it (then another resumes it)
 * @param applyConcurrency devices of one stream batch applied at once (records of one device stay in order);
 *     the IoT quotas, paced, set the real rate
 * @param pendingCertificateGrace how long an apply leaves alone an INACTIVE certificate on a thing that the
 *     device's record does not name, counted from its creation here: this region's onboarding attaches a new
 *     certificate INACTIVE and activates it only after writing the record that names it. Must exceed the
 *     onboarding service's {@code abandoned-after} (5 min) plus its lease (30 s), after which its sweeper has
 *     recorded or undone the certificate; older unnamed INACTIVE certificates are detached. ACTIVE unnamed ones
 *     are always retired at once.
 * @param copiedTables in {@code TABLE_COPY} mode, other tables of write-once items (each streamed, in every
 *     region) copied between regions by the same stream replication as the device table: every item another
 *     region's stream shows is put here unless present (default the telemetry hot store); global tables in AWS
 */
@Validated
@ConfigurationProperties("iotdr.replication")
public record ReplicationProperties(
        @NotNull @DefaultValue("GLOBAL_TABLE") Mode mode,
        @NotBlank @DefaultValue(DeviceTable.DEFAULT_NAME) String deviceTable,
        @NotBlank @DefaultValue("replication-state") String stateTable,
        @NotBlank @DefaultValue("replication-coordination") String coordinationTable,
        @NotBlank @DefaultValue(DevicePolicy.DEFAULT_NAME) String devicePolicy,

        @NotBlank @DefaultValue(DevicePolicy.DEFAULT_THING_TYPE)
        String thingType,

        @NotNull @DefaultValue("250ms") Duration pollInterval,
        @NotNull @DefaultValue("10s") Duration leaseDuration,
        @Min(1) @DefaultValue("5") int attemptsBeforeParking,
        String workerId,
        @Min(1) @DefaultValue("32") int resyncConcurrency,
        @Min(1) @DefaultValue("32") int applyConcurrency,
        @Min(1) @DefaultValue("4") int jobSegments,
        @Min(1) @DefaultValue("100") int jobPageSize,
        @NotNull @DefaultValue("30s") Duration jobLease,
        @NotNull @DefaultValue("24h") Duration streamRetention,
        @NotNull @DefaultValue("15m") Duration pendingCertificateGrace,
        @NotNull @DefaultValue(TelemetryTable.DEFAULT_NAME) List<@NotBlank String> copiedTables) {

    public String worker() {
        return workerId != null && !workerId.isBlank()
                ? workerId
                : hostName() + ":" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
