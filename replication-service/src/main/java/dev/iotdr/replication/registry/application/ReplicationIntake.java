package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.application.DeadLetters.ParkedRecord;
import dev.iotdr.replication.registry.application.UseCases.ApplyRegistryRecord;
import dev.iotdr.replication.registry.domain.ApplyOutcome;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;

/**
 * Where a device record read from a stream enters replication. In {@code TABLE_COPY} mode (the local
 * stack, where the emulator has no global tables) the record is first copied into this region's table if
 * it is newer; in {@code GLOBAL_TABLE} mode DynamoDB has done that. Then the registry is made to match the
 * table. Both modes share the apply logic.
 */
public final class ReplicationIntake implements dev.iotdr.replication.stream.application.StreamSink<DeviceRecord> {
    /** How records reach this region's table. */
    public enum Mode {
        /** The table is a DynamoDB global table: AWS copies the records. */
        GLOBAL_TABLE,
        /** Each region has its own table and replication copies records into it (the local stack). */
        TABLE_COPY
    }

    private final Mode mode;
    private final LocalDeviceTable table;
    private final ApplyRegistryRecord applier;
    private final DeadLetters deadLetters;
    private final ReplicationProgress progress;
    private final Clock clock;

    public ReplicationIntake(
            Mode mode,
            LocalDeviceTable table,
            ApplyRegistryRecord applier,
            DeadLetters deadLetters,
            ReplicationProgress progress,
            Clock clock) {
        this.mode = mode;
        this.table = table;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.progress = progress;
        this.clock = clock;
    }

    public Mode mode() {
        return mode;
    }

    public ReplicationProgress progress() {
        return progress;
    }

    /** Copies (table-copy mode) and applies one record read from {@code source}'s stream. */
    public ApplyOutcome accept(Region source, DeviceRecord record) {
        if (mode == Mode.TABLE_COPY) {
            table.copyIfNewer(record);
        }
        ApplyOutcome outcome = applier.apply(record.deviceId());
        progress.source(source).recorded(outcome, clock.instant());
        return outcome;
    }

    @Override
    public Object orderingKey(DeviceRecord record) {
        return record.deviceId();
    }

    @Override
    public void apply(Region source, DeviceRecord record) {
        accept(source, record);
    }

    @Override
    public String describe(DeviceRecord record) {
        return record.deviceId() + " v" + record.version();
    }

    /** A record that kept failing: parked with its cause, so its shard moves on. */
    @Override
    public void park(Region source, DeviceRecord record, Throwable cause, int attempts) {
        deadLetters.park(new ParkedRecord(
                record.deviceId(),
                record.version(),
                source.code(),
                cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                attempts,
                clock.instant()));
        progress.source(source).parked();
    }

    @Override
    public void failedAttempt(Region source) {
        progress.source(source).failed();
    }
}
