package dev.iotdr.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TelemetryBufferTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path directory;

    @Test
    void whatWasStoredSurvivesAKilledProcessOldestFirstWithItsIds() throws Exception {
        Path file = directory.resolve("buffer.mv");
        Path key = directory.resolve("buffer.key");
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        BufferWriterMain.class.getName(),
                        file.toString(),
                        key.toString(),
                        "50")
                .redirectErrorStream(true)
                .start();
        List<String> printed = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("stored"); line = out.readLine()) {
                if (line.startsWith("{")) {
                    printed.add(line);
                }
            }
            writer.destroyForcibly(); // SIGKILL: no close, no shutdown hook
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(printed).hasSize(50);

        try (TelemetryBuffer reopened = TelemetryBuffer.open(file, key, 10_000)) {
            List<TelemetryBuffer.Entry> entries = reopened.oldest("killed-device", 0, 100);
            assertThat(entries)
                    .extracting(TelemetryBuffer.Entry::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50)
                            .boxed()
                            .toList());
            assertThat(entries)
                    .extracting(entry -> new String(entry.message(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(printed);
            assertThat(reopened.counts("killed-device")).isEqualTo(new TelemetryBuffer.Counts(50, 0, 50));
        }
    }

    @Test
    void messagesCarryTheTelemetryContractAndTheirIdsAreStable() throws Exception {
        try (TelemetryBuffer buffer = open(100)) {
            TelemetryBuffer.Entry stored = EdgeAgent.store(buffer, "d-1", Map.of("temperature", 21.5), 1234L);
            JsonNode message = JSON.readTree(stored.message());
            assertThat(message.path("messageId").asString()).hasSize(36);
            assertThat(message.path("seq").asLong()).isEqualTo(1);
            assertThat(message.path("ts").asLong()).isEqualTo(1234L);
            assertThat(message.path("metrics").path("temperature").asDouble()).isEqualTo(21.5);

            // read twice (as a resend would): the same bytes, the same id
            assertThat(buffer.oldest("d-1", 0, 1).getFirst().message()).isEqualTo(stored.message());
            assertThat(buffer.oldest("d-1", 0, 1).getFirst().message()).isEqualTo(stored.message());
        }
    }

    @Test
    void anAcknowledgedMessageLeavesAndTheRestStayInOrder() {
        try (TelemetryBuffer buffer = open(100)) {
            for (int i = 0; i < 5; i++) {
                EdgeAgent.store(buffer, "d-1", Map.of("i", i), 0);
            }
            buffer.acknowledged("d-1", 1);
            buffer.acknowledged("d-1", 3);

            assertThat(buffer.oldest("d-1", 0, 10))
                    .extracting(TelemetryBuffer.Entry::seq)
                    .containsExactly(2L, 4L, 5L);
            assertThat(buffer.oldest("d-1", 2, 10))
                    .extracting(TelemetryBuffer.Entry::seq)
                    .containsExactly(4L, 5L);
            assertThat(buffer.counts("d-1")).isEqualTo(new TelemetryBuffer.Counts(5, 0, 3));
            assertThat(buffer.counts("another")).isEqualTo(new TelemetryBuffer.Counts(0, 0, 0));
        }
    }

    @Test
    void overflowDropsTheOldestAndCountsItAcrossARestart() {
        try (TelemetryBuffer buffer = open(3)) {
            for (int i = 0; i < 5; i++) {
                EdgeAgent.store(buffer, "d-1", Map.of("i", i), 0);
            }
            assertThat(buffer.oldest("d-1", 0, 10))
                    .extracting(TelemetryBuffer.Entry::seq)
                    .containsExactly(3L, 4L, 5L);
            assertThat(buffer.counts("d-1")).isEqualTo(new TelemetryBuffer.Counts(5, 2, 3));
        }
        try (TelemetryBuffer reopened = open(3)) {
            assertThat(reopened.counts("d-1")).isEqualTo(new TelemetryBuffer.Counts(5, 2, 3));
            EdgeAgent.store(reopened, "d-1", Map.of("i", 5), 0);
            assertThat(reopened.oldest("d-1", 0, 10))
                    .extracting(TelemetryBuffer.Entry::seq)
                    .containsExactly(4L, 5L, 6L);
        }
    }

    @Test
    void theFileIsEncryptedAtRestAndTheKeyIsOwnerOnly() throws Exception {
        String marker = "plaintext-marker-" + System.nanoTime();
        try (TelemetryBuffer buffer = open(100)) {
            for (int i = 0; i < 20; i++) {
                EdgeAgent.store(buffer, "d-1", Map.of("note", marker), 0);
            }
            buffer.sync();
        }
        byte[] onDisk = Files.readAllBytes(directory.resolve("buffer.mv"));
        assertThat(onDisk.length).isGreaterThan(1000);
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1))
                .doesNotContain(marker)
                .doesNotContain("messageId");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("buffer.key"))))
                .isEqualTo("rw-------");

        // and with the key it reads back
        try (TelemetryBuffer reopened = open(100)) {
            assertThat(new String(reopened.oldest("d-1", 0, 1).getFirst().message(), StandardCharsets.UTF_8))
                    .contains(marker);
        }
    }

    private TelemetryBuffer open(int capacity) {
        return TelemetryBuffer.open(directory.resolve("buffer.mv"), directory.resolve("buffer.key"), capacity);
    }
}
