package dev.iotdr.replication.support;

import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.service.aws.DependencyUnavailableException;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real IoT registry adapter with faults injected at {@code ensureThing}: throttling (AWS answering
 * "slow down" after the guard's retries) a given number of times, or a hard failure for one thing.
 */
public final class FaultyRegionRegistry implements RegionRegistry {
    private final RegionRegistry real;
    private final AtomicInteger throttlesLeft = new AtomicInteger();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();

    public FaultyRegionRegistry(RegionRegistry real) {
        this.real = real;
    }

    public void throttle(int times) {
        throttlesLeft.set(times);
    }

    public void breakThing(String thing) {
        broken.add(thing);
    }

    public void clear() {
        throttlesLeft.set(0);
        broken.clear();
    }

    @Override
    public void ensureThing(ThingName thing, ThingAttributes attributes) {
        if (throttlesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new DependencyUnavailableException(
                    "iot:CreateThing", "injected: throttled after retries", Duration.ofSeconds(1), null);
        }
        if (broken.contains(thing.value())) {
            throw new IllegalStateException("injected: this thing cannot be written");
        }
        real.ensureThing(thing, attributes);
    }

    @Override
    public void ensureThingGroup(ThingGroupName group) {
        real.ensureThingGroup(group);
    }

    @Override
    public RegisteredCertificate ensureCertificate(String pem, CertificateStatus status) {
        return real.ensureCertificate(pem, status);
    }

    @Override
    public void setCertificateStatus(CertificateId certificate, CertificateStatus status) {
        real.setCertificateStatus(certificate, status);
    }

    @Override
    public void attachPolicy(PolicyName policy, String certificateArn) {
        real.attachPolicy(policy, certificateArn);
    }

    @Override
    public void detachPolicy(PolicyName policy, String certificateArn) {
        real.detachPolicy(policy, certificateArn);
    }

    @Override
    public void attachThingPrincipal(ThingName thing, String certificateArn) {
        real.attachThingPrincipal(thing, certificateArn);
    }

    @Override
    public void detachThingPrincipal(ThingName thing, String certificateArn) {
        real.detachThingPrincipal(thing, certificateArn);
    }

    @Override
    public void ensureGroups(ThingName thing, Set<ThingGroupName> groups) {
        real.ensureGroups(thing, groups);
    }

    @Override
    public boolean deleteThing(ThingName thing) {
        return real.deleteThing(thing);
    }

    @Override
    public Optional<ThingView> describeThing(ThingName thing) {
        return real.describeThing(thing);
    }

    @Override
    public Optional<CertificateView> describeCertificate(CertificateId certificate) {
        return real.describeCertificate(certificate);
    }

    @Override
    public boolean policyAttached(PolicyName policy, String certificateArn) {
        return real.policyAttached(policy, certificateArn);
    }

    @Override
    public ThingPage fleetThings(Optional<String> token) {
        return real.fleetThings(token);
    }
}
