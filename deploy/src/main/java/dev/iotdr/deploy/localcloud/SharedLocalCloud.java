package dev.iotdr.deploy.localcloud;

import dev.iotdr.shared.aws.RegionalAwsClients;

/**
 * One local cloud for a whole test JVM, started on first use and stopped when the JVM exits (by the cloud's
 * shutdown hook, and by each emulator's parent watch if the JVM is killed). For places JUnit extensions do
 * not reach, such as Spring's {@code @DynamicPropertySource}; {@link LocalCloudExtension} hands out the same
 * one.
 */
public final class SharedLocalCloud {
    private static LocalCloud cloud;
    private static RegionalAwsClients clients;

    private SharedLocalCloud() {}

    public static synchronized LocalCloud cloud() {
        if (cloud == null) {
            cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
            clients = new RegionalAwsClients(cloud.awsSettings());
        }
        return cloud;
    }

    /** Clients for the shared cloud (SDK retries on, as a test wants). */
    public static synchronized RegionalAwsClients clients() {
        cloud();
        return clients;
    }
}
