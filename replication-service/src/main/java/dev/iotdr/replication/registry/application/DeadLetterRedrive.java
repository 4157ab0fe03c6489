package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.DeadLetters.ParkedRecord;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.application.UseCases.RedriveDeadLetters;
import dev.iotdr.replication.registry.application.UseCases.RedriveReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies every parked device again (its current record); a success removes it from the store. */
public final class DeadLetterRedrive implements RedriveDeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);

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
        for (ParkedRecord parked : deadLetters.all()) {
            try {
                applier.applyForced(parked.deviceId());
                deadLetters.remove(parked.deviceId());
                redriven++;
            } catch (RuntimeException e) {
                failing++;
                log.warn("parked device {} still fails: {}", parked.deviceId(), e.getMessage());
            }
        }
        return new RedriveReport(redriven, failing);
    }
}
