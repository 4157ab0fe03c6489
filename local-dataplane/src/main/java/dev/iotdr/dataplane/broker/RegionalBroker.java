package dev.iotdr.dataplane.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A region's MQTT endpoint: HiveMQ CE, embedded, with one listener, MQTT 3.1.1 and 5 over TLS (1.2 and 1.3) with a
 * client certificate required, sessions in memory (IoT Core's persistent sessions do not cross regions either), and
 * {@link IotCoreRules} deciding who connects and what they may do. The configuration lives in a private working
 * directory that is removed at close; it holds the keystore password, so only the owner can read it. One broker at a
 * time uses a work root (it holds a lock file there while it runs); on start it removes the working directories a
 * broker killed before its close left behind, so no keystore password outlives its process.
 */
public final class RegionalBroker implements AutoCloseable {
    private final EmbeddedHiveMQ hivemq;
    private final Path workingDirectory;
    private final InetSocketAddress address;
    private final FileChannel lock;

    private RegionalBroker(EmbeddedHiveMQ hivemq, Path workingDirectory, InetSocketAddress address, FileChannel lock) {
        this.hivemq = hivemq;
        this.workingDirectory = workingDirectory;
        this.address = address;
        this.lock = lock;
    }

    /**
     * Starts the broker on {@code address} (a fixed port: HiveMQ has no "any free port") serving the certificate in
     * {@code keystore} (PKCS#12, alias-independent), and waits until it listens.
     */
    public static RegionalBroker start(
            InetSocketAddress address, Path keystore, char[] keystorePassword, IotCoreRules rules, Path workRoot) {
        AnyClientCertificateTrust.install();
        Path work;
        FileChannel lock = lockWorkRoot(workRoot);
        try {
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(workRoot, "broker-*")) {
                stale.forEach(RegionalBroker::delete);
            }
            work = Files.createTempDirectory(
                    workRoot,
                    "broker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path conf = Files.createDirectories(work.resolve("conf"));
            Files.createDirectories(work.resolve("data"));
            Files.createDirectories(work.resolve("extensions"));
            Path config = conf.resolve("config.xml");
            Files.createFile(
                    config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, configuration(address, keystore, keystorePassword));
        } catch (IOException e) {
            closeQuietly(lock);
            throw new UncheckedIOException("cannot prepare the broker's working directory under " + workRoot, e);
        }
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("iotdr-iot-core")
                .withName("IoT Core authentication, policies, lifecycle events and rules")
                .withVersion("1")
                .withAuthor("iot-dr")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                        Services.securityRegistry().setAuthenticatorProvider(provider -> rules);
                        Services.securityRegistry().setAuthorizerProvider(provider -> rules);
                        Services.eventRegistry().setClientLifecycleEventListener(provider -> rules);
                        Services.initializerRegistry()
                                .setClientInitializer(
                                        (initializer, client) -> client.addPublishOutboundInterceptor(rules));
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
                })
                .build();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(work.resolve("conf"))
                .withDataFolder(work.resolve("data"))
                .withExtensionsFolder(work.resolve("extensions"))
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hivemq);
            delete(work);
            closeQuietly(lock);
            throw new IllegalStateException("the MQTT broker for " + address + " did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hivemq);
            delete(work);
            closeQuietly(lock);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        }
        return new RegionalBroker(hivemq, work, address, lock);
    }

    private static FileChannel lockWorkRoot(Path workRoot) {
        FileChannel channel = null;
        try {
            Files.createDirectories(workRoot);
            channel = FileChannel.open(
                    workRoot.resolve(".broker.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new IllegalStateException("another broker is running in " + workRoot);
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("another broker in this process is running in " + workRoot, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the broker's work root " + workRoot, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    private static String configuration(InetSocketAddress address, Path keystore, char[] password) {
        String secret = xml(new String(password));
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>iot-core-tls</name>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                        <protocols>
                          <protocol>TLSv1.3</protocol>
                          <protocol>TLSv1.2</protocol>
                        </protocols>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <mqtt>
                    <session-expiry>
                      <!-- IoT Core keeps a persistent session for at most an hour -->
                      <max-interval>3600</max-interval>
                    </session-expiry>
                  </mqtt>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(
                        address.getPort(),
                        xml(address.getAddress().getHostAddress()),
                        xml(keystore.toAbsolutePath().toString()),
                        secret,
                        secret);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // stopping anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(hivemq);
            delete(workingDirectory);
            closeQuietly(lock);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (Exception e) {
            // closing after a failure: the first failure is the one reported
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
