package dev.iotdr.onboarding.devices.adapter.out.dynamodb;

import dev.iotdr.onboarding.devices.application.RecordsElsewhere;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DeviceItems;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecordsElsewhere} by a consistent GetItem on each other region's device table, through a call guard
 * per region (one attempt, short waits), so that an outage elsewhere neither slows onboarding here much nor
 * opens this region's own circuit breaker or another healthy region's. Each read is counted by outcome
 * ({@code iotdr_onboarding_rival_checks_total{region,outcome}}).
 */
final class DynamoRecordsElsewhere implements RecordsElsewhere {
    private static final Logger log = LoggerFactory.getLogger(DynamoRecordsElsewhere.class);

    private final RegionalAwsClients clients;
    private final List<Region> others;
    private final Map<Region, GuardedAwsCalls> remoteCalls = new LinkedHashMap<>();
    private final String table;
    private final MeterRegistry meters;

    DynamoRecordsElsewhere(
            RegionalAwsClients clients,
            List<Region> others,
            java.util.function.Function<Region, GuardedAwsCalls> remoteCalls,
            String table,
            MeterRegistry meters) {
        this.clients = clients;
        this.others = List.copyOf(others);
        others.forEach(region -> this.remoteCalls.put(region, remoteCalls.apply(region)));
        this.table = table;
        this.meters = meters;
    }

    @Override
    public Map<Region, DeviceRecord> find(DeviceId device) {
        Map<Region, DeviceRecord> found = new LinkedHashMap<>();
        for (Region region : others) {
            String outcome;
            try {
                Optional<DeviceRecord> record =
                        DeviceItems.find(clients.dynamoDb(region), remoteCalls.get(region), table, device);
                record.ifPresent(r -> found.put(region, r));
                outcome = record.isPresent() ? "found" : "absent";
            } catch (RuntimeException unreachable) {
                log.info(
                        "device table in {} unreadable while checking {}: {}",
                        region,
                        device,
                        unreachable.getMessage());
                outcome = "unreachable";
            }
            meters.counter("iotdr.onboarding.rival.checks", "region", region.code(), "outcome", outcome)
                    .increment();
        }
        return found;
    }
}
