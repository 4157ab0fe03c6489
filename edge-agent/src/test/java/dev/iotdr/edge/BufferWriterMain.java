package dev.iotdr.edge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A device process for {@link TelemetryBufferTest}: stores {@code count} messages, prints each one as stored, says
 * "stored" and then waits to be killed (the test kills it with SIGKILL, so nothing is closed or flushed).
 */
public final class BufferWriterMain {
    private BufferWriterMain() {}

    public static void main(String[] args) throws Exception {
        TelemetryBuffer buffer = TelemetryBuffer.open(Path.of(args[0]), Path.of(args[1]), 10_000);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            TelemetryBuffer.Entry entry = EdgeAgent.store(buffer, "killed-device", Map.of("reading", i), 1_000L + i);
            System.out.println(new String(entry.message(), StandardCharsets.UTF_8));
        }
        System.out.println("stored");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
