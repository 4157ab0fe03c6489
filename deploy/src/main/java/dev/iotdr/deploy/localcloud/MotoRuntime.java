package dev.iotdr.deploy.localcloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python 3 with moto's server importable. Finds the interpreter ({@code IOTDR_PYTHON}, else {@code python3},
 * else {@code python}); if moto is missing, installs it once with {@code python -m pip install 'moto[server]'}.
 */
public final class MotoRuntime {
    private static final Logger log = LoggerFactory.getLogger(MotoRuntime.class);
    private static final String CHECK = "import moto, moto.server, flask, flask_cors; print(moto.__version__)";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private final String python;
    private final String motoVersion;

    private MotoRuntime(String python, String motoVersion) {
        this.python = python;
        this.motoVersion = motoVersion;
    }

    /** Finds Python and makes sure moto's server is there, installing it if needed. */
    public static MotoRuntime ensure() {
        String python = findPython();
        Result check = run(List.of(python, "-c", CHECK), PROBE_TIMEOUT);
        if (check.exitCode() != 0) {
            log.info("moto is not importable by {}; installing it with pip", python);
            Result install = run(List.of(python, "-m", "pip", "install", "--quiet", "moto[server]"), INSTALL_TIMEOUT);
            if (install.exitCode() != 0 && install.output().contains("externally-managed-environment")) {
                // A distribution's own Python (PEP 668) refuses global installs; a user install is still allowed.
                install = run(
                        List.of(
                                python,
                                "-m",
                                "pip",
                                "install",
                                "--quiet",
                                "--user",
                                "--break-system-packages",
                                "moto[server]"),
                        INSTALL_TIMEOUT);
            }
            if (install.exitCode() != 0) {
                throw new LocalCloudException("could not install moto with '" + python
                        + " -m pip install moto[server]' (exit " + install.exitCode() + "): " + tail(install.output()));
            }
            check = run(List.of(python, "-c", CHECK), PROBE_TIMEOUT);
            if (check.exitCode() != 0) {
                throw new LocalCloudException(
                        "moto was installed but its server still cannot be imported: " + tail(check.output()));
            }
        }
        return new MotoRuntime(python, check.output().strip());
    }

    public String python() {
        return python;
    }

    public String motoVersion() {
        return motoVersion;
    }

    /**
     * The command line of one emulator process on {@code host:port}: moto's server run by the local stack's wrapper
     * ({@code moto_server.py} beside this class), which makes three changes inside the process, where moto takes
     * them: it exits once its parent is gone (a JVM killed with SIGKILL leaves no emulator behind); certificate ids
     * are the SHA-256 of the DER, as AWS's ({@code iot.use_valid_cert}); and SQS sends and receives stop counting
     * the whole queue for every message (a performance fix, no change of behaviour; the script says why).
     */
    List<String> serverCommand(String host, int port) {
        return List.of(python, "-c", SERVER_WRAPPER, "-H", host, "-p", Integer.toString(port));
    }

    /** Tells the emulator which PID to outlive no longer; set by whoever starts it. */
    static final String PARENT_PID_VARIABLE = "IOTDR_PARENT_PID";

    private static final String SERVER_WRAPPER = wrapper();

    private static String wrapper() {
        try (java.io.InputStream script = MotoRuntime.class.getResourceAsStream("moto_server.py")) {
            if (script == null) {
                throw new IllegalStateException("moto_server.py is missing from the deploy module's resources");
            }
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read moto_server.py", e);
        }
    }

    private static String findPython() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("IOTDR_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("python");
        for (String candidate : candidates) {
            try {
                Result version = run(List.of(candidate, "--version"), PROBE_TIMEOUT);
                if (version.exitCode() == 0 && version.output().strip().startsWith("Python 3")) {
                    return candidate;
                }
            } catch (LocalCloudException notThere) {
                log.debug("no usable Python at {}: {}", candidate, notThere.getMessage());
            }
        }
        throw new LocalCloudException("the local cloud needs Python 3 with pip to run moto_server, and none was found "
                + "(tried " + String.join(", ", candidates) + "). Install python3 and python3-pip, "
                + "or set IOTDR_PYTHON to a Python 3 interpreter.");
    }

    private static Result run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("iotdr-python", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new LocalCloudException("'" + String.join(" ", command) + "' did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LocalCloudException("could not run '" + String.join(" ", command) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalCloudException("interrupted while running " + command.getFirst(), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() > 2000 ? "..." + stripped.substring(stripped.length() - 2000) : stripped;
    }

    private record Result(int exitCode, String output) {}
}
