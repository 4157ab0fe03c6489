package dev.iotdr.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongFunction;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Store and forward: every message a device produces is written here first and removed only when the endpoint
 * acknowledged it (PUBACK), so a message survives a lost connection, a region's outage and a killed process, and is
 * sent oldest first once connected again.
 *
 * <p>The store is H2's MVStore (an embedded, append-only, crash-safe key-value store) in one file per agent process,
 * one map per device, <b>encrypted at rest</b> (MVStore's AES file encryption) with a key kept in a separate
 * owner-only file; on a real gateway that key belongs in its secure element or TPM. An append is committed before it
 * returns, so what {@link #append} accepted survives a killed process (the operating system has the written pages;
 * surviving power loss as well needs {@link #sync()}). Acknowledgements are committed in the background (within a
 * second): a message acknowledged just before a crash may be sent again, which the receiver deduplicates by its
 * {@code messageId}.
 *
 * <p>Bounded: at most {@code capacity} messages per device. <b>Overflow policy: drop the oldest</b> (the newest
 * readings are the ones an operator wants after an outage); every dropped message is counted, per device, and the
 * count is stored with the buffer.
 */
public final class TelemetryBuffer implements AutoCloseable {
    /** A buffered message: its per-device sequence number and its bytes (the telemetry JSON). */
    public record Entry(long seq, byte[] message) {}

    /** One device's counts: produced (sequence numbers given out), dropped by overflow, waiting now. */
    public record Counts(long produced, long dropped, long buffered) {}

    private static final String META = "meta";

    private final MVStore store;
    private final MVMap<String, Long> meta;
    private final int capacity;

    private TelemetryBuffer(MVStore store, int capacity) {
        this.store = store;
        this.meta = store.openMap(META);
        this.capacity = capacity;
    }

    /**
     * Opens (or creates) the buffer file, encrypted with the key in {@code keyFile} (created owner-only when
     * missing).
     */
    public static TelemetryBuffer open(Path file, Path keyFile, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        char[] key = key(keyFile);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .encryptionKey(key)
                    .open();
            return new TelemetryBuffer(store, capacity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the buffer's directory for " + file, e);
        } finally {
            java.util.Arrays.fill(key, '\0');
        }
    }

    private static char[] key(Path keyFile) {
        try {
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            if (!Files.exists(keyFile)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path temporary = keyFile.resolveSibling(keyFile.getFileName() + ".new");
                Files.deleteIfExists(temporary);
                Files.createFile(
                        temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, HexFormat.of().formatHex(random));
                try {
                    Files.move(temporary, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(temporary);
                }
            }
            return Files.readString(keyFile, StandardCharsets.US_ASCII).strip().toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the buffer key " + keyFile, e);
        }
    }

    /**
     * Stores the next message of {@code device}: {@code message} is given the device's next sequence number and
     * returns the bytes to keep. Committed before this returns. When the device already has {@code capacity}
     * messages waiting, its oldest is dropped and counted.
     */
    public synchronized Entry append(String device, LongFunction<byte[]> message) {
        MVMap<Long, byte[]> messages = messages(device);
        long seq = meta.getOrDefault("next/" + device, 1L);
        byte[] bytes = message.apply(seq);
        while (messages.sizeAsLong() >= capacity) {
            Long oldest = messages.firstKey();
            if (oldest == null) {
                break;
            }
            // an acknowledgement may take the oldest in between (it does not hold this lock): only a message this
            // removed is dropped
            if (messages.remove(oldest) != null) {
                meta.merge("dropped/" + device, 1L, Long::sum);
            }
        }
        messages.put(seq, bytes);
        meta.put("next/" + device, seq + 1);
        store.commit();
        return new Entry(seq, bytes);
    }

    /** Up to {@code max} of the device's waiting messages, oldest first, from {@code afterSeq} (exclusive). */
    public List<Entry> oldest(String device, long afterSeq, int max) {
        MVMap<Long, byte[]> messages = messages(device);
        List<Entry> entries = new ArrayList<>(Math.min(max, 64));
        Iterator<Long> keys = messages.keyIterator(afterSeq + 1);
        while (keys.hasNext() && entries.size() < max) {
            Long seq = keys.next();
            byte[] bytes = messages.get(seq);
            if (bytes != null) {
                entries.add(new Entry(seq, bytes));
            }
        }
        return entries;
    }

    /** The endpoint acknowledged this message: it leaves the buffer (committed in the background). */
    public void acknowledged(String device, long seq) {
        messages(device).remove(seq);
    }

    public Counts counts(String device) {
        return new Counts(
                meta.getOrDefault("next/" + device, 1L) - 1,
                meta.getOrDefault("dropped/" + device, 0L),
                store.hasMap("m/" + device) ? messages(device).sizeAsLong() : 0);
    }

    /** Forces what was committed to the disk (for power loss; a killed process loses nothing committed anyway). */
    public synchronized void sync() {
        store.commit();
        store.sync();
    }

    private MVMap<Long, byte[]> messages(String device) {
        return store.openMap("m/" + device);
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
