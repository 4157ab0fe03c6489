package dev.iotdr.deploy.localcloud;

import dev.iotdr.shared.aws.RegionalAwsClients;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the {@link SharedLocalCloud} (and {@link RegionalAwsClients} for it) as parameters: one cloud
 * for the whole test JVM, started on first use, stopped when the JVM exits.
 *
 * <p>Tests that stop a region must start it again before they return, and must not rely on data another
 * test wrote; a test that needs a region to stay down for long should start a {@link LocalCloud} of its own.
 */
public final class LocalCloudExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalCloud.class || type == RegionalAwsClients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCloud.class
                ? SharedLocalCloud.cloud()
                : SharedLocalCloud.clients();
    }
}
