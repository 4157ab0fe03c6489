package dev.iotdr.replication.support;

import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model of one region's IoT registry with the semantics replication relies on: a certificate's id is the
 * hash of its PEM (the same in every region), registering it twice is "already exists", things carry
 * attributes, groups and principals, policies attach to certificate ARNs. For property tests of the apply
 * logic; the adapter itself is tested against the emulator.
 */
public final class InMemoryIot implements RegionRegistry {
    private final String region;
    private final Clock clock;
    private final Set<ThingGroupName> groups = new HashSet<>();
    private final Map<ThingName, Thing> things = new HashMap<>();
    private final Map<CertificateId, Certificate> certificates = new HashMap<>();
    private final Map<String, Set<String>> policiesByTarget = new HashMap<>();

    public InMemoryIot(String region) {
        this(region, Clock.systemUTC());
    }

    /** A registry whose certificates are created at {@code clock}'s time. */
    public InMemoryIot(String region, Clock clock) {
        this.region = region;
        this.clock = clock;
    }

    /** A thing's state. */
    public record Thing(ThingAttributes attributes, Set<ThingGroupName> groups, Set<String> principals) {}

    /** A certificate's state. */
    public record Certificate(String arn, String pem, CertificateStatus status, Instant createdAt) {}

    public Map<ThingName, Thing> things() {
        return things;
    }

    public Map<CertificateId, Certificate> certificates() {
        return certificates;
    }

    public Set<String> policiesOf(String arn) {
        return policiesByTarget.getOrDefault(arn, Set.of());
    }

    public static CertificateId idOf(String pem) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(pem.getBytes(StandardCharsets.UTF_8));
            return CertificateId.of(java.util.HexFormat.of().formatHex(hash));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void ensureThingGroup(ThingGroupName group) {
        groups.add(group);
    }

    @Override
    public synchronized void ensureThing(ThingName thing, ThingAttributes attributes) {
        Thing current = things.get(thing);
        things.put(
                thing,
                new Thing(
                        attributes,
                        current == null ? new TreeSet<>() : current.groups(),
                        current == null ? new HashSet<>() : current.principals()));
    }

    @Override
    public synchronized RegisteredCertificate ensureCertificate(String pem, CertificateStatus status) {
        CertificateId id = idOf(pem);
        String arn = "arn:aws:iot:" + region + ":123456789012:cert/" + id.value();
        Certificate before = certificates.get(id);
        certificates.put(id, new Certificate(arn, pem, status, before == null ? clock.instant() : before.createdAt()));
        return new RegisteredCertificate(id, arn);
    }

    @Override
    public synchronized void setCertificateStatus(CertificateId certificate, CertificateStatus status) {
        Certificate current = certificates.get(certificate);
        if (current == null) {
            throw new IllegalStateException("no certificate " + certificate);
        }
        certificates.put(certificate, new Certificate(current.arn(), current.pem(), status, current.createdAt()));
    }

    @Override
    public synchronized void attachPolicy(PolicyName policy, String certificateArn) {
        policiesByTarget.computeIfAbsent(certificateArn, a -> new HashSet<>()).add(policy.value());
    }

    @Override
    public synchronized void detachPolicy(PolicyName policy, String certificateArn) {
        policiesByTarget.getOrDefault(certificateArn, new HashSet<>()).remove(policy.value());
    }

    @Override
    public synchronized void attachThingPrincipal(ThingName thing, String certificateArn) {
        requireThing(thing).principals().add(certificateArn);
    }

    @Override
    public synchronized void detachThingPrincipal(ThingName thing, String certificateArn) {
        Thing current = things.get(thing);
        if (current != null) {
            current.principals().remove(certificateArn);
        }
    }

    @Override
    public synchronized void ensureGroups(ThingName thing, Set<ThingGroupName> wanted) {
        Thing current = requireThing(thing);
        current.groups().clear();
        current.groups().addAll(wanted);
    }

    /** As IoT: a thing with principals attached is not deleted. */
    @Override
    public synchronized boolean deleteThing(ThingName thing) {
        Thing current = things.get(thing);
        if (current != null && !current.principals().isEmpty()) {
            return false;
        }
        things.remove(thing);
        return true;
    }

    @Override
    public synchronized Optional<ThingView> describeThing(ThingName thing) {
        Thing current = things.get(thing);
        return current == null
                ? Optional.empty()
                : Optional.of(new ThingView(
                        thing, current.attributes(), Set.copyOf(current.groups()), Set.copyOf(current.principals())));
    }

    @Override
    public synchronized Optional<CertificateView> describeCertificate(CertificateId certificate) {
        Certificate current = certificates.get(certificate);
        return current == null
                ? Optional.empty()
                : Optional.of(new CertificateView(
                        certificate, current.arn(), current.pem(), current.status(), current.createdAt()));
    }

    @Override
    public synchronized boolean policyAttached(PolicyName policy, String certificateArn) {
        return policiesOf(certificateArn).contains(policy.value());
    }

    @Override
    public synchronized ThingPage fleetThings(Optional<String> token) {
        List<ThingName> names = things.keySet().stream()
                .sorted(java.util.Comparator.comparing(ThingName::value))
                .toList();
        int from = token.map(Integer::parseInt).orElse(0);
        int to = Math.min(names.size(), from + 2);
        return new ThingPage(
                names.subList(from, to), to < names.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
    }

    private Thing requireThing(ThingName thing) {
        Thing current = things.get(thing);
        if (current == null) {
            throw new IllegalStateException("no thing " + thing);
        }
        return current;
    }
}
