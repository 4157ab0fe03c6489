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
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * What the data plane knows of its own region's registry, by certificate id: the certificate's status, the things
 * it is attached to and the documents of the policies attached to it. Three reads per certificate (describe, things,
 * policies) and one per policy (its document, shared by every certificate it is attached to, so a policy's text may
 * be up to twice that bound old), made when a device connects and kept at most {@code maxAge}, so that a
 * certificate deactivated or revoked is refused at the next connect within that bound. Concurrent lookups of one
 * certificate share one read. Only this region's registry is read, never another's.
 *
 * <p>The view is bounded (least recently used entries go first): its memory does not grow with the fleet, and no
 * loop ever walks it. An entry serves only for {@code maxAge}, so the capacity needed is the connects per second
 * times that bound, not the fleet. Policy documents are held once per policy (a fleet shares a handful), so an
 * entry costs its ids, not a copy of its policies. When the executor refuses a read (its queue
 * is full in a connect storm) the lookup fails at once, as IoT Core throttles connects, rather than queueing
 * reads that would finish after the device gave up.
 */
public final class RegistryView implements PrincipalLookup {
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

    /** How long a lookup may wait for a thread before it is given up (a connect waits 10 s for its answer). */
    static final Duration QUEUED_AT_MOST = Duration.ofSeconds(8);

    /**
     * By when after it was asked a lookup's reads must be done: past it the connect has been refused already (the
     * authentication timeout is 10 s), so a read stops before its next request and leaves the emulator to reads that
     * can still admit someone. (Stopping earlier was measured and hurts: with 9.5 s, a 200-device storm had 39
     * connects refused as busy that would have been admitted, p99 26 s; with a 3 s queue bound and 12 threads,
     * hundreds, p99 53 s; bench/RESULTS.md.)
     */
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);

    private final IotClient iot;
    private final Duration maxAge;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, Cached> entries;
    /** Policy documents by policy name, each read at most {@code maxAge} ago: a fleet shares a handful. */
    private final Map<String, PolicyRead> policies = lru(10_000);

    private record PolicyRead(Instant readAt, CompletableFuture<Optional<String>> document) {}

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
        this.entries = lru(capacity);
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The certificate as read at most {@code maxAge} ago; a failed read is not kept. */
    @Override
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
            try {
                read = CompletableFuture.supplyAsync(
                        () -> {
                            // a read that waited in the queue longer than a connect waits helps nobody: give it up
                            if (clock.instant().isAfter(now.plus(QUEUED_AT_MOST))) {
                                throw new RejectedExecutionException("waited too long for the registry");
                            }
                            return read(certificateId, now);
                        },
                        executor);
            } catch (RejectedExecutionException busy) {
                return CompletableFuture.failedFuture(
                        new RejectedExecutionException("too many connects waiting for the registry", busy));
            }
            entries.put(certificateId, new Cached(now, read));
        }
        return read;
    }

    private Principal read(String certificateId, Instant askedAt) {
        CertificateDescription certificate;
        try {
            certificate =
                    iot.describeCertificate(r -> r.certificateId(certificateId)).certificateDescription();
        } catch (ResourceNotFoundException absent) {
            return Principal.unknown(certificateId);
        }
        String arn = certificate.certificateArn();
        stillInTime(askedAt);
        List<String> things = new ArrayList<>();
        iot.listPrincipalThingsPaginator(r -> r.principal(arn)).things().forEach(things::add);
        stillInTime(askedAt);
        List<String> documents = new ArrayList<>();
        for (Policy policy :
                iot.listAttachedPoliciesPaginator(r -> r.target(arn)).policies()) {
            document(policy.policyName()).ifPresent(documents::add);
        }
        return new Principal(certificateId, true, certificate.statusAsString(), arn, things, documents);
    }

    /** Gives a read up before its next request when its answer would come after the device stopped waiting. */
    private void stillInTime(Instant askedAt) {
        if (clock.instant().isAfter(askedAt.plus(ANSWERED_WITHIN))) {
            throw new RejectedExecutionException("the registry is too slow to answer before the device gives up");
        }
    }

    /**
     * A policy's document, read at most {@code maxAge} ago; one copy held per policy, however many certificates it
     * is attached to. Lookups that need it while it is being read wait for that read (in a connect storm every
     * lookup needs the fleet's policy at once: one read serves them all).
     */
    private Optional<String> document(String policyName) {
        Instant now = clock.instant();
        CompletableFuture<Optional<String>> shared;
        CompletableFuture<Optional<String>> mine = null;
        synchronized (policies) {
            PolicyRead known = policies.get(policyName);
            if (known != null
                    && !known.document().isCompletedExceptionally()
                    && !known.readAt().plus(maxAge).isBefore(now)) {
                shared = known.document();
            } else {
                mine = new CompletableFuture<>();
                shared = mine;
                // started now, so newer than any read in flight: a slower, older read never replaces it
                policies.put(policyName, new PolicyRead(now, mine));
            }
        }
        if (mine == null) {
            try {
                return shared.join();
            } catch (CompletionException failed) {
                // the read it waited for failed (a throttle, say): one read of its own, not a refusal for all
                return readPolicy(policyName, clock.instant(), new CompletableFuture<>());
            }
        }
        return readPolicy(policyName, now, mine);
    }

    /** Reads the policy, completing {@code read} however the read ends (others may be waiting on it). */
    private Optional<String> readPolicy(
            String policyName, Instant startedAt, CompletableFuture<Optional<String>> read) {
        try {
            Optional<String> document;
            try {
                document = Optional.ofNullable(
                        iot.getPolicy(r -> r.policyName(policyName)).policyDocument());
            } catch (ResourceNotFoundException deleted) {
                document = Optional.empty(); // detached as it was read: allows nothing
            }
            read.complete(document);
            synchronized (policies) {
                PolicyRead newer = policies.get(policyName);
                if (newer == null
                        || newer.document().isCompletedExceptionally()
                        || newer.readAt().isBefore(startedAt)) {
                    policies.put(policyName, new PolicyRead(startedAt, read));
                }
            }
            return document;
        } catch (RuntimeException | Error e) {
            read.completeExceptionally(e); // not kept: the next lookup reads again
            throw e;
        }
    }
}
