package dev.iotdr.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What {@code ./drctl up} wrote to {@code .drctl/state.json}: where everything runs. */
record LocalStackState(
        Map<String, JsonNode> regions, URI globalEmulator, URI control, Path stateDirectory, JsonNode root) {

    static LocalStackState read(Path stateDirectory) {
        Path file = stateDirectory.resolve("state.json");
        if (!Files.exists(file)) {
            throw new IllegalStateException(
                    "no local stack is running (" + file + " is missing); run ./drctl up first");
        }
        try {
            JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
            Map<String, JsonNode> regions = new LinkedHashMap<>();
            root.get("regions").properties().forEach(entry -> regions.put(entry.getKey(), entry.getValue()));
            return new LocalStackState(
                    regions,
                    URI.create(root.get("global").get("emulator").asString()),
                    URI.create(root.get("supervisor").get("control").asString()),
                    stateDirectory,
                    root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    URI url(String region, String service) {
        JsonNode node = regions.get(region).get(service);
        if (node == null || node.isNull()) {
            throw new IllegalStateException(service + " is not running in " + region + "; is it built?");
        }
        return URI.create(node.asString());
    }

    /** The fleet's custom domain. */
    String domain() {
        return root.get("domain").asString();
    }

    /** The local PKI's directory (root CA, server certificate); present when the data plane is built. */
    Path pkiDirectory() {
        JsonNode pki = root.path("global").get("pki");
        if (pki == null || pki.isNull()) {
            throw new IllegalStateException("the local stack runs no data plane; is local-dataplane built?");
        }
        return Path.of(pki.asString());
    }

    String secret(String name) {
        try {
            return Files.readString(stateDirectory.resolve("secrets").resolve(name))
                    .strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the local stack's " + name, e);
        }
    }
}
