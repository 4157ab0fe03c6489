package dev.iotdr.deploy.localstack;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes {@code state.json}: the domain, the global emulator, and per region its emulator and every service
 * URL, with the PIDs that {@code ./drctl down} checks. Written atomically, so readers never see half a file.
 */
final class LocalStackState {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final FleetDomain domain;
    private final Instant startedAt = Instant.now();

    LocalStackState(Path file, FleetDomain domain) {
        this.file = file;
        this.domain = domain;
    }

    synchronized void write(LocalStack stack, URI control, boolean ready) {
        LocalCloud cloud = stack.cloud();
        ObjectNode root = JSON.createObjectNode();
        root.put("domain", domain.name());
        root.put("ready", ready);
        root.put("startedAt", startedAt.toString());
        ObjectNode supervisor = root.putObject("supervisor");
        supervisor.put("pid", ProcessHandle.current().pid());
        supervisor.put("control", control.toString());
        Map<String, Long> pids = cloud.pids();
        ObjectNode global = root.putObject("global");
        global.put("emulator", cloud.globalEndpoint().toString());
        putPid(global, pids.get(LocalCloud.GLOBAL));
        stack.dns().ifPresent(dns -> {
            // no address until the DNS has a port (it starts after the deciders)
            stack.dnsAddress().ifPresentOrElse(address -> global.put("dns", address), () -> global.putNull("dns"));
            global.put("pki", stack.pkiDirectory().toString());
            dns.pid().ifPresentOrElse(pid -> global.put("dnsPid", pid), () -> global.putNull("dnsPid"));
        });
        ObjectNode regions = root.putObject("regions");
        for (Region region : cloud.regions()) {
            ObjectNode entry = regions.putObject(region.code());
            entry.put("emulator", cloud.endpoint(region).toString());
            entry.put("running", cloud.isRunning(region));
            putPid(entry, pids.get(region.code()));
            if (stack.hasDataPlane()) {
                entry.put("iotEndpoint", stack.address(region) + ":" + LocalStack.MQTT_PORT);
                entry.put("apiEndpoint", stack.address(region) + ":" + LocalStack.API_PORT);
            }
            for (ServiceProcess service : stack.services().get(region)) {
                entry.put(service.name(), service.url().toString());
                service.pid()
                        .ifPresentOrElse(
                                pid -> entry.put(service.name() + "Pid", pid),
                                () -> entry.putNull(service.name() + "Pid"));
            }
        }
        root.put("logs", cloud.logDirectory().toString());
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void putPid(ObjectNode node, Long pid) {
        if (pid != null) {
            node.put("emulatorPid", pid);
        } else {
            node.putNull("emulatorPid");
        }
    }
}
