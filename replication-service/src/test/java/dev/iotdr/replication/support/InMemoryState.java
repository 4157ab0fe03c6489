package dev.iotdr.replication.support;

import dev.iotdr.replication.registry.application.AppliedVersions;
import dev.iotdr.replication.registry.application.DeadLetters;
import dev.iotdr.replication.registry.application.LocalDeviceTable;
import dev.iotdr.replication.registry.domain.RecordRank;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A region's device table, applied versions and dead letters, in memory, with the stores' conditions. */
public final class InMemoryState implements LocalDeviceTable, AppliedVersions, DeadLetters {
    private final Map<DeviceId, DeviceRecord> table = new ConcurrentHashMap<>();
    private final Map<DeviceId, RecordRank> applied = new ConcurrentHashMap<>();
    private final Map<DeviceId, ParkedRecord> parked = new ConcurrentHashMap<>();
    private final List<DeviceRecord> offered = new ArrayList<>();

    @Override
    public Optional<DeviceRecord> find(DeviceId device) {
        return Optional.ofNullable(table.get(device));
    }

    @Override
    public synchronized boolean copyIfNewer(DeviceRecord record) {
        offered.add(record);
        DeviceRecord current = table.get(record.deviceId());
        if (current == null || record.supersedes(current)) {
            table.put(record.deviceId(), record);
            return true;
        }
        return false;
    }

    @Override
    public Map<DeviceId, RecordRank> ranks(java.util.Collection<DeviceId> devices) {
        Map<DeviceId, RecordRank> ranks = new java.util.HashMap<>();
        devices.forEach(device -> find(device).ifPresent(r -> ranks.put(device, RecordRank.of(r))));
        return ranks;
    }

    /** Replaces the device's record whatever it holds: a global table's last writer winning. */
    public void overwrite(DeviceRecord record) {
        table.put(record.deviceId(), record);
    }

    /** Every record, for tests and the in-memory segments. */
    public List<DeviceRecord> records() {
        return table.values().stream()
                .sorted(java.util.Comparator.comparing(r -> r.deviceId().value()))
                .toList();
    }

    /** Every (device, version) offered to {@link #copyIfNewer}, in the order offered. */
    public synchronized List<DeviceRecord> offered() {
        return List.copyOf(offered);
    }

    @Override
    public RecordRank get(DeviceId device) {
        return applied.getOrDefault(device, RecordRank.NONE);
    }

    @Override
    public synchronized boolean advance(DeviceId device, RecordRank rank) {
        RecordRank stored = applied.getOrDefault(device, RecordRank.NONE);
        if (stored.version() < rank.version() || (stored.version() == rank.version() && !stored.equals(rank))) {
            applied.put(device, rank);
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

    /** Every parked record. */
    public List<ParkedRecord> all() {
        return new ArrayList<>(parked.values());
    }

    @Override
    public Page page(Optional<DeviceId> after, int limit) {
        List<ParkedRecord> sorted = parked.values().stream()
                .sorted(java.util.Comparator.comparing(r -> r.deviceId().value()))
                .filter(r -> after.isEmpty()
                        || r.deviceId().value().compareTo(after.get().value()) > 0)
                .toList();
        List<ParkedRecord> page = sorted.subList(0, Math.min(limit, sorted.size()));
        return new Page(page, sorted.size() > limit ? Optional.of(page.getLast().deviceId()) : Optional.empty());
    }

    @Override
    public long count() {
        return parked.size();
    }

    @Override
    public void remove(DeviceId device) {
        parked.remove(device);
    }
}
