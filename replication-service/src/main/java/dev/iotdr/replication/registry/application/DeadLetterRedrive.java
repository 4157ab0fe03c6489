package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.DeadLetters.ParkedRecord;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.application.UseCases.RedriveDeadLetters;
import dev.iotdr.replication.registry.application.UseCases.RedriveReport;
import dev.iotdr.shared.domain.DeviceId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies every parked device again (its current record); a success removes it from the store. */
public final class DeadLetterRedrive implements RedriveDeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);

    private static final int PAGE = 100;

    private final DeadLetters deadLetters;
    private final ApplyRegistryRecord applier;

    public DeadLetterRedrive(DeadLetters deadLetters, ApplyRegistryRecord applier) {
        this.deadLetters = deadLetters;
        this.applier = applier;
    }

    @Override
    public RedriveReport redrive() {
        int redriven = 0;
        int failing = 0;
        Optional<DeviceId> after = Optional.empty();
        do {
            DeadLetters.Page page = deadLetters.page(after, PAGE);
            for (ParkedRecord parked : page.records()) {
                try {
                    applier.applyForced(parked.deviceId());
                    deadLetters.remove(parked.deviceId());
                    redriven++;
                } catch (RuntimeException e) {
                    failing++;
                    log.warn("parked device {} still fails: {}", parked.deviceId(), e.getMessage());
                }
            }
            after = page.next();
        } while (after.isPresent());
        return new RedriveReport(redriven, failing);
    }
}
