package dev.iotdr.deploy.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's secrets (the JWT signing key {@code ./drctl token} uses, the key that seals private keys
 * at rest), random per state directory, kept in files only the owner can read, and reused across restarts
 * so that tokens and sealed keys stay valid.
 */
final class LocalSecrets {
    private final Path directory;

    LocalSecrets(Path directory) {
        this.directory = directory;
    }

    /** Base64 of 32 random bytes, created on first use. */
    synchronized String get(String name) {
        Path file = directory.resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String value = Base64.getEncoder().encodeToString(bytes);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n");
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create secret " + file, e);
        }
    }
}
