package dev.iotdr.onboarding.support;

import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.util.function.Supplier;

/** The real IoT registry with {@link FaultInjection} around each operation. */
public final class FaultyDeviceRegistry implements DeviceRegistry {
    private final DeviceRegistry real;
    private final FaultInjection faults;

    public FaultyDeviceRegistry(DeviceRegistry real, FaultInjection faults) {
        this.real = real;
        this.faults = faults;
    }

    private <T> T around(String operation, Supplier<T> call) {
        faults.beforeCall(operation);
        T result = call.get();
        faults.afterCall(operation);
        return result;
    }

    private void around(String operation, Runnable call) {
        around(operation, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public void ensureThingGroup(ThingGroupName group) {
        around("ensureThingGroup", () -> real.ensureThingGroup(group));
    }

    @Override
    public IssuedKeys createKeysAndCertificate() {
        return around("createKeysAndCertificate", real::createKeysAndCertificate);
    }

    @Override
    public DeviceCertificate createCertificateFromCsr(String csrPem) {
        return around("createCertificateFromCsr", () -> real.createCertificateFromCsr(csrPem));
    }

    @Override
    public void attachPolicy(PolicyName policy, String certificateArn) {
        around("attachPolicy", () -> real.attachPolicy(policy, certificateArn));
    }

    @Override
    public void detachPolicy(PolicyName policy, String certificateArn) {
        around("detachPolicy", () -> real.detachPolicy(policy, certificateArn));
    }

    @Override
    public void ensureThing(ThingName thing, ThingAttributes attributes) {
        around("ensureThing", () -> real.ensureThing(thing, attributes));
    }

    @Override
    public void attachThingPrincipal(ThingName thing, String certificateArn) {
        around("attachThingPrincipal", () -> real.attachThingPrincipal(thing, certificateArn));
    }

    @Override
    public void detachThingPrincipal(ThingName thing, String certificateArn) {
        around("detachThingPrincipal", () -> real.detachThingPrincipal(thing, certificateArn));
    }

    @Override
    public void addThingToGroup(ThingName thing, ThingGroupName group) {
        around("addThingToGroup", () -> real.addThingToGroup(thing, group));
    }

    @Override
    public void setCertificateStatus(CertificateId certificate, CertificateStatus status) {
        around("setCertificateStatus:" + status, () -> real.setCertificateStatus(certificate, status));
    }

    @Override
    public void deleteCertificate(CertificateId certificate) {
        around("deleteCertificate", () -> real.deleteCertificate(certificate));
    }

    @Override
    public void deleteThing(ThingName thing) {
        around("deleteThing", () -> real.deleteThing(thing));
    }

    @Override
    public java.util.List<String> principalsOf(ThingName thing) {
        return around("principalsOf", () -> real.principalsOf(thing));
    }
}
