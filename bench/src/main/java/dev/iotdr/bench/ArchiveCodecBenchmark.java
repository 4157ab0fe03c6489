package dev.iotdr.bench;

import com.github.luben.zstd.Zstd;
import dev.iotdr.shared.archive.ArchiveCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The telemetry archive's compression on realistic sensor telemetry: gzip (the JDK's, default level) as the
 * baseline, Zstandard at levels 3 and 9, measured in the same run on the same objects; then the archive's own sealed
 * objects (Zstandard 9 and AES-GCM, {@link ArchiveCodec}). No local stack needed.
 *
 * <p>The telemetry: {@code --devices} devices (default 1,000) each reporting every 5 s for {@code --minutes}
 * (default 10) in the contract's JSON (what the hot store and the archive keep: thing name, message id, seq, device
 * time, four metrics that drift as real sensors do, client id, receive time), cut into objects of {@code
 * --per-object} records (default 5,000) in time order, as an hourly partition's flushes would be.
 *
 * <p>Usage: {@code ./drctl bench archive-codec [--devices N] [--minutes M] [--per-object K]}.
 */
public final class ArchiveCodecBenchmark {
    private ArchiveCodecBenchmark() {}

    public static void main(String[] args) throws IOException {
        int devices = Integer.parseInt(option(args, "--devices", "1000"));
        int minutes = Integer.parseInt(option(args, "--minutes", "10"));
        int perObject = Integer.parseInt(option(args, "--per-object", "5000"));
        List<String> records = telemetry(devices, minutes);
        List<List<String>> objects = new ArrayList<>();
        for (int i = 0; i < records.size(); i += perObject) {
            objects.add(records.subList(i, Math.min(records.size(), i + perObject)));
        }
        long plain = 0;
        for (String record : records) {
            plain += record.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        System.out.printf(
                "archive codec benchmark: %,d records (%d devices, every 5 s for %d min), %d objects of up to %,d;"
                        + " %.1f bytes/record as JSON lines%n",
                records.size(), devices, minutes, objects.size(), perObject, (double) plain / records.size());
        // each codec once to warm up, then measured
        for (int round = 0; round < 2; round++) {
            boolean measured = round == 1;
            Result gzip = measure(objects, ArchiveCodecBenchmark::gzip);
            Result zstd3 = measure(objects, bytes -> Zstd.compress(bytes, 3));
            Result zstd9 = measure(objects, bytes -> Zstd.compress(bytes, 9));
            Result sealed = measureSealed(objects);
            if (measured) {
                print("gzip (JDK, level 6): baseline", gzip, plain, records.size(), gzip);
                print("zstd level 3", zstd3, plain, records.size(), gzip);
                print("zstd level 9", zstd9, plain, records.size(), gzip);
                print("sealed archive objects (zstd 9 + AES-GCM)", sealed, plain, records.size(), gzip);
            }
        }
    }

    private record Result(long bytes, long nanos) {}

    private interface Compressor {
        byte[] compress(byte[] plain) throws IOException;
    }

    private static Result measure(List<List<String>> objects, Compressor compressor) throws IOException {
        long bytes = 0;
        long nanos = 0;
        for (List<String> object : objects) {
            byte[] plain = (String.join("\n", object)).getBytes(StandardCharsets.UTF_8);
            long started = System.nanoTime();
            byte[] compressed = compressor.compress(plain);
            nanos += System.nanoTime() - started;
            bytes += compressed.length;
        }
        return new Result(bytes, nanos);
    }

    private static Result measureSealed(List<List<String>> objects) {
        SecureRandom random = new SecureRandom();
        long bytes = 0;
        long nanos = 0;
        for (List<String> object : objects) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long started = System.nanoTime();
            ArchiveCodec.Sealed sealed = ArchiveCodec.seal(
                    "telemetry/us-east-1/dt=2026-12-06/hour=11/" + UUID.randomUUID(),
                    object,
                    new ArchiveCodec.DataKey(key, new byte[184], "alias/iotdr-archive"));
            nanos += System.nanoTime() - started;
            bytes += sealed.bytes().length;
        }
        return new Result(bytes, nanos);
    }

    private static void print(String name, Result result, long plain, int records, Result baseline) {
        double seconds = result.nanos() / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%-44s %7.1f bytes/record  ratio %5.2f  %7.1f MB/s (%.2fx gzip's speed)%n",
                name,
                (double) result.bytes() / records,
                (double) plain / result.bytes(),
                plain / 1e6 / seconds,
                ((double) baseline.nanos()) / result.nanos());
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    /** Records in time order: every device every 5 s, metrics drifting with noise, as sensors report. */
    static List<String> telemetry(int devices, int minutes) {
        Random random = new Random(42);
        double[] temperature = new double[devices];
        double[] humidity = new double[devices];
        double[] battery = new double[devices];
        long[] seq = new long[devices];
        for (int d = 0; d < devices; d++) {
            temperature[d] = 18 + random.nextDouble() * 8;
            humidity[d] = 35 + random.nextDouble() * 25;
            battery[d] = 3.6 + random.nextDouble() * 0.5;
        }
        long start = 1_765_018_800_000L;
        List<String> records = new ArrayList<>(devices * minutes * 12);
        for (int tick = 0; tick < minutes * 12; tick++) {
            for (int d = 0; d < devices; d++) {
                temperature[d] += random.nextGaussian() * 0.05;
                humidity[d] += random.nextGaussian() * 0.2;
                battery[d] -= random.nextDouble() * 0.0002;
                long ts = start + tick * 5_000L + random.nextInt(400);
                String thing = String.format(Locale.ROOT, "plant-7-line-%02d-sensor-%04d", d % 24, d);
                records.add(String.format(
                        Locale.ROOT,
                        "{\"thingName\":\"%s\",\"messageId\":\"%s\",\"seq\":%d,\"ts\":%d,\"metrics\":{\"temp\":%.2f,"
                                + "\"humidity\":%.1f,\"battery\":%.3f,\"rssi\":%d},\"clientId\":\"%s\","
                                + "\"receivedAt\":%d}",
                        thing,
                        new UUID(random.nextLong(), random.nextLong()),
                        ++seq[d],
                        ts,
                        temperature[d],
                        humidity[d],
                        battery[d],
                        -60 - random.nextInt(25),
                        thing,
                        ts + 40 + random.nextInt(200)));
            }
        }
        return records;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
