package dev.iotdr.deploy.localcloud;

import dev.iotdr.shared.aws.RegionalAwsClients;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Shares one {@link LocalCloud} (and one {@link RegionalAwsClients} for it) across a whole test run: started
 * on first use, stopped when the run ends. Tests receive either as a parameter.
 *
 * <p>Tests that stop a region must start it again before they return, and must not rely on data another
 * test wrote; a test that needs a region to stay down for long should start a {@link LocalCloud} of its own.
 */
public final class LocalCloudExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalCloudExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalCloud.class || type == RegionalAwsClients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Shared shared = context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, key -> Shared.start(), Shared.class);
        return parameter.getParameter().getType() == LocalCloud.class ? shared.cloud() : shared.clients();
    }

    /** Closed by JUnit when the root context closes, i.e. at the end of the run. */
    private record Shared(LocalCloud cloud, RegionalAwsClients clients) implements AutoCloseable {
        static Shared start() {
            LocalCloud cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
            return new Shared(cloud, new RegionalAwsClients(cloud.awsSettings()));
        }

        @Override
        public void close() {
            try {
                clients.close();
            } finally {
                cloud.close();
            }
        }
    }
}
