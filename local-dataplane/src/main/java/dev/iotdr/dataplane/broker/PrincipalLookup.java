package dev.iotdr.dataplane.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Where {@link IotCoreRules} learns what a certificate may do: the region's registry ({@link RegistryView}), or a
 * fixed set of principals (the connect benchmark's baseline, which measures the broker without registry reads).
 */
@FunctionalInterface
public interface PrincipalLookup {
    /** The certificate as the registry holds it; completes exceptionally when the registry cannot be read. */
    CompletableFuture<RegistryView.Principal> principal(String certificateId);
}
