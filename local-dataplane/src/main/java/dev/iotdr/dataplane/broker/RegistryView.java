package dev.iotdr.dataplane.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * What the data plane knows of its own region's registry, by certificate id: the certificate's status, the things
 * it is attached to and the documents of the policies attached to it. Four reads per certificate (describe, things,
 * policies, each policy's document), made when a device connects and kept at most {@code maxAge}, so that a
 * certificate deactivated or revoked is refused at the next connect within that bound. Concurrent lookups of one
 * certificate share one read. Only this region's registry is read, never another's.
 *
 * <p>The view is bounded (least recently used entries go first): its memory does not grow with the fleet, and no
 * loop ever walks it.
 */
public final class RegistryView {
    /** A certificate as the registry holds it now; {@code registered} false when the registry has no such id. */
    public record Principal(
            String certificateId,
            boolean registered,
            String status,
            String certificateArn,
            List<String> things,
            List<String> policyDocuments) {
        public Principal {
            things = List.copyOf(things);
            policyDocuments = List.copyOf(policyDocuments);
        }

        static Principal unknown(String certificateId) {
            return new Principal(certificateId, false, "UNKNOWN", "", List.of(), List.of());
        }

        public boolean active() {
            return registered && "ACTIVE".equals(status);
        }
    }

    private record Cached(Instant readAt, CompletableFuture<Principal> principal) {}

    private final IotClient iot;
    private final Duration maxAge;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, Cached> entries;

    public RegistryView(IotClient iot, Duration maxAge, int capacity, Executor executor, Clock clock) {
        if (maxAge.isNegative() || maxAge.compareTo(Duration.ofSeconds(2)) > 0) {
            throw new IllegalArgumentException("maxAge must be 0 to 2 s (IoT Core refuses a revoked certificate"
                    + " at the next connect within 2 s), was " + maxAge);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.iot = iot;
        this.maxAge = maxAge;
        this.executor = executor;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The certificate as read at most {@code maxAge} ago; a failed read is not kept. */
    public CompletableFuture<Principal> principal(String certificateId) {
        Instant now = clock.instant();
        CompletableFuture<Principal> read;
        synchronized (entries) {
            Cached cached = entries.get(certificateId);
            if (cached != null
                    && !cached.principal().isCompletedExceptionally()
                    && !cached.readAt().plus(maxAge).isBefore(now)) {
                return cached.principal();
            }
            read = CompletableFuture.supplyAsync(() -> read(certificateId), executor);
            entries.put(certificateId, new Cached(now, read));
        }
        return read;
    }

    private Principal read(String certificateId) {
        CertificateDescription certificate;
        try {
            certificate =
                    iot.describeCertificate(r -> r.certificateId(certificateId)).certificateDescription();
        } catch (ResourceNotFoundException absent) {
            return Principal.unknown(certificateId);
        }
        String arn = certificate.certificateArn();
        List<String> things = new ArrayList<>();
        iot.listPrincipalThingsPaginator(r -> r.principal(arn)).things().forEach(things::add);
        List<String> documents = new ArrayList<>();
        for (Policy policy :
                iot.listAttachedPoliciesPaginator(r -> r.target(arn)).policies()) {
            Optional.ofNullable(iot.getPolicy(r -> r.policyName(policy.policyName()))
                            .policyDocument())
                    .ifPresent(documents::add);
        }
        return new Principal(certificateId, true, certificate.statusAsString(), arn, things, documents);
    }
}
