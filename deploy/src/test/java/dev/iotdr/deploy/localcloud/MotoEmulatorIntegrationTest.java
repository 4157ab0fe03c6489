package dev.iotdr.deploy.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MotoEmulatorIntegrationTest {

    @Test
    void anEmulatorWhoseParentIsKilledWithoutCleanupExitsByItself() throws Exception {
        MotoRuntime runtime = MotoRuntime.ensure();
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                MotoRuntime.PARENT_PID_VARIABLE + "=$$ \"$0\" \"$@\" >/dev/null 2>&1 & echo $!; sleep 120"));
        command.addAll(runtime.serverCommand("127.0.0.1", 0));
        Process parent = new ProcessBuilder(command).start();
        long emulatorPid;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            emulatorPid = Long.parseLong(out.readLine().strip());
        }
        assertThat(alive(emulatorPid)).isTrue();
        // The parent PID comes from the environment, so even a parent killed before the interpreter has
        // started its watcher is noticed.

        parent.destroyForcibly().waitFor();

        assertThat(eventually(() -> !alive(emulatorPid), Duration.ofSeconds(15)))
                .as("emulator %d still running after its parent was killed", emulatorPid)
                .isTrue();
    }

    @Test
    void aRestartedEmulatorKeepsItsEndpointAndGetsANewProcess() throws Exception {
        Path log = Files.createTempFile("moto-restart", ".log");
        try (MotoEmulator emulator = new MotoEmulator("restart", MotoRuntime.ensure(), log)) {
            emulator.start(Duration.ofSeconds(30));
            var endpoint = emulator.endpoint();
            long firstPid = emulator.pid().orElseThrow();

            emulator.stop();
            assertThat(emulator.answers()).isFalse();
            assertThat(emulator.pid()).isEmpty();
            emulator.start(Duration.ofSeconds(30));

            assertThat(emulator.endpoint()).isEqualTo(endpoint);
            assertThat(emulator.answers()).isTrue();
            assertThat(emulator.pid().orElseThrow()).isNotEqualTo(firstPid);
            assertThat(alive(firstPid)).isFalse();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
