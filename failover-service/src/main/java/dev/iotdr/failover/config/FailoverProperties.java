package dev.iotdr.failover.config;

import dev.iotdr.shared.contract.DeviceTable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Failover settings ({@code iotdr.failover.*}).
 *
 * @param probeInterval how often every region is probed (and the decider looks)
 * @param probeTimeout how long one probe may take
 * @param failuresToTrip consecutive failed probes before a region is declared unhealthy
 * @param successesToRecover consecutive good probes before it is healthy again
 * @param rpoBudget the most replication lag a failover target may have
 * @param cooldown how long after a failover another one is refused
 * @param ttl the TTL of the custom names' records
 * @param firstRequestWithin how long to wait for the first healthy request through the custom name
 * @param warmUp how long after its start a decider fails over from a region it has never seen healthy
 * @param regions per region: its onboarding and replication URLs and the API target its records point at
 * @param eventsTable this region's timeline and freeze table
 * @param lockTable this region's decider lock table
 * @param lockLease the decider lock's lease
 * @param healthQueue the SQS queue of Route 53 health-check state changes, in this region
 * @param deviceTable the device table (probed with one keyed read)
 * @param auditWithin how long a drill waits for the target's audit job; past it, drift is reported unknown
 */
@Validated
@ConfigurationProperties("iotdr.failover")
public record FailoverProperties(
        @NotNull @DefaultValue("2s") Duration probeInterval,
        @NotNull @DefaultValue("1500ms") Duration probeTimeout,
        @Min(1) @DefaultValue("3") int failuresToTrip,
        @Min(1) @DefaultValue("2") int successesToRecover,
        @NotNull @DefaultValue("5s") Duration rpoBudget,
        @NotNull @DefaultValue("5m") Duration cooldown,
        @NotNull @DefaultValue("10s") Duration ttl,
        @NotNull @DefaultValue("30s") Duration firstRequestWithin,
        @NotNull @DefaultValue("60s") Duration warmUp,
        @DefaultValue Map<String, RegionEndpoints> regions,
        @NotBlank @DefaultValue("failover-events") String eventsTable,
        @NotBlank @DefaultValue("failover-lock") String lockTable,
        @NotNull @DefaultValue("6s") Duration lockLease,
        @NotBlank @DefaultValue("failover-health-events") String healthQueue,
        @NotBlank @DefaultValue(DeviceTable.DEFAULT_NAME) String deviceTable,
        @NotNull @DefaultValue("2m") Duration auditWithin) {

    /**
     * Where a region's services are.
     *
     * @param onboardingUrl the onboarding service (its readiness is probed)
     * @param replicationUrl the replication service (its lag is read)
     * @param apiTarget the host name the {@code api.} record points at for this region (its load balancer)
     */
    public record RegionEndpoints(URI onboardingUrl, URI replicationUrl, String apiTarget) {}
}
