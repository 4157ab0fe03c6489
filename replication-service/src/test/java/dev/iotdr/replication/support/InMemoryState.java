package dev.iotdr.replication.support;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A region's device table, applied versions and dead letters, in memory, with the stores' conditions. */
public final class InMemoryState implements LocalDeviceTable, AppliedVersions, DeadLetters {
    private final Map<DeviceId, DeviceRecord> table = new ConcurrentHashMap<>();
    private final Map<DeviceId, Long> applied = new ConcurrentHashMap<>();
    private final Map<DeviceId, ParkedRecord> parked = new ConcurrentHashMap<>();

    @Override
    public Optional<DeviceRecord> find(DeviceId device) {
        return Optional.ofNullable(table.get(device));
    }

    @Override
    public synchronized boolean copyIfNewer(DeviceRecord record) {
        DeviceRecord current = table.get(record.deviceId());
        if (current == null || current.version() < record.version()) {
            table.put(record.deviceId(), record);
            return true;
        }
        return false;
    }

    @Override
    public void forEach(Consumer<DeviceRecord> action) {
        List.copyOf(table.values()).forEach(action);
    }

    @Override
    public long get(DeviceId device) {
        return applied.getOrDefault(device, 0L);
    }

    @Override
    public synchronized boolean advance(DeviceId device, long version) {
        if (applied.getOrDefault(device, 0L) < version) {
            applied.put(device, version);
            return true;
        }
        return false;
    }

    private volatile java.time.Instant since = java.time.Instant.EPOCH;

    /** The region's replication state began at {@code instant} (a region rebuilt then). */
    public void beganAt(java.time.Instant instant) {
        since = instant;
    }

    @Override
    public java.time.Instant since() {
        return since;
    }

    @Override
    public void park(ParkedRecord record) {
        parked.put(record.deviceId(), record);
    }

    @Override
    public List<ParkedRecord> all() {
        return new ArrayList<>(parked.values());
    }

    @Override
    public void remove(DeviceId device) {
        parked.remove(device);
    }
}
