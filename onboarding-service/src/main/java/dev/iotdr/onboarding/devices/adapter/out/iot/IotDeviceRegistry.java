package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.onboarding.devices.application.Problems.InvalidCsr;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateCertificateFromCsrResponse;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * {@link DeviceRegistry} on AWS IoT Core, every call guarded (paced at IoT's quotas, retried, timed).
 * Idempotency is ours, not the emulator's: "already exists" and "not found" answers are treated as success
 * where the wanted state holds.
 */
final class IotDeviceRegistry implements DeviceRegistry {
    private final IotClient iot;
    private final GuardedAwsCalls calls;
    private final String thingType;

    IotDeviceRegistry(IotClient iot, GuardedAwsCalls calls, String thingType) {
        this.iot = iot;
        this.calls = calls;
        this.thingType = thingType;
    }

    @Override
    public void ensureThingGroup(ThingGroupName group) {
        try {
            calls.run(
                    AwsApi.IOT_DESCRIBE_THING_GROUP,
                    () -> iot.describeThingGroup(r -> r.thingGroupName(group.value())));
        } catch (ResourceNotFoundException absent) {
            try {
                calls.run(
                        AwsApi.IOT_CREATE_THING_GROUP,
                        () -> iot.createThingGroup(r -> r.thingGroupName(group.value())));
            } catch (ResourceAlreadyExistsException createdMeanwhile) {
                // another request created it first: the group exists, which is all we want
            }
        }
    }

    @Override
    public IssuedKeys createKeysAndCertificate() {
        CreateKeysAndCertificateResponse response = calls.call(
                AwsApi.IOT_CREATE_KEYS_AND_CERTIFICATE, () -> iot.createKeysAndCertificate(r -> r.setAsActive(false)));
        DeviceCertificate certificate = new DeviceCertificate(
                CertificateId.of(response.certificateId()),
                response.certificateArn(),
                response.certificatePem(),
                CertificateStatus.INACTIVE);
        return new IssuedKeys(certificate, response.keyPair().privateKey());
    }

    @Override
    public DeviceCertificate createCertificateFromCsr(String csrPem) {
        CreateCertificateFromCsrResponse response;
        try {
            response = calls.call(
                    AwsApi.IOT_CREATE_CERTIFICATE_FROM_CSR,
                    () -> iot.createCertificateFromCsr(
                            r -> r.certificateSigningRequest(csrPem).setAsActive(false)));
        } catch (InvalidRequestException refused) {
            throw new InvalidCsr(
                    "AWS IoT refused the csr: " + refused.awsErrorDetails().errorMessage());
        }
        return new DeviceCertificate(
                CertificateId.of(response.certificateId()),
                response.certificateArn(),
                response.certificatePem(),
                CertificateStatus.INACTIVE);
    }

    @Override
    public void attachPolicy(PolicyName policy, String certificateArn) {
        calls.run(
                AwsApi.IOT_ATTACH_POLICY,
                () -> iot.attachPolicy(r -> r.policyName(policy.value()).target(certificateArn)));
    }

    @Override
    public void detachPolicy(PolicyName policy, String certificateArn) {
        try {
            calls.run(
                    AwsApi.IOT_DETACH_POLICY,
                    () -> iot.detachPolicy(r -> r.policyName(policy.value()).target(certificateArn)));
        } catch (ResourceNotFoundException alreadyDetached) {
            // detached, or the certificate is gone: either way not attached
        }
    }

    @Override
    public void ensureThing(ThingName thing, ThingAttributes attributes) {
        try {
            calls.run(
                    AwsApi.IOT_CREATE_THING,
                    () -> iot.createThing(r -> r.thingName(thing.value())
                            .thingTypeName(thingType)
                            .attributePayload(a -> a.attributes(attributes.values()))));
        } catch (ResourceAlreadyExistsException exists) {
            // AWS refuses CreateThing for an existing thing with other attributes: make them ours.
            calls.run(
                    AwsApi.IOT_UPDATE_THING,
                    () -> iot.updateThing(r -> r.thingName(thing.value())
                            .thingTypeName(thingType)
                            .attributePayload(
                                    a -> a.attributes(attributes.values()).merge(false))));
        }
    }

    @Override
    public void attachThingPrincipal(ThingName thing, String certificateArn) {
        calls.run(
                AwsApi.IOT_ATTACH_THING_PRINCIPAL,
                () -> iot.attachThingPrincipal(r -> r.thingName(thing.value()).principal(certificateArn)));
    }

    @Override
    public void detachThingPrincipal(ThingName thing, String certificateArn) {
        try {
            calls.run(
                    AwsApi.IOT_DETACH_THING_PRINCIPAL,
                    () -> iot.detachThingPrincipal(
                            r -> r.thingName(thing.value()).principal(certificateArn)));
        } catch (ResourceNotFoundException alreadyDetached) {
            // the thing or the attachment is gone: not attached
        }
    }

    @Override
    public void addThingToGroup(ThingName thing, ThingGroupName group) {
        calls.run(
                AwsApi.IOT_ADD_THING_TO_THING_GROUP,
                () -> iot.addThingToThingGroup(r -> r.thingName(thing.value()).thingGroupName(group.value())));
    }

    @Override
    public void setCertificateStatus(CertificateId certificate, CertificateStatus status) {
        try {
            calls.run(
                    AwsApi.IOT_UPDATE_CERTIFICATE,
                    () -> iot.updateCertificate(
                            r -> r.certificateId(certificate.value()).newStatus(status.name())));
        } catch (ResourceNotFoundException gone) {
            if (status == CertificateStatus.ACTIVE) {
                throw gone; // cannot activate what does not exist
            }
        }
    }

    @Override
    public void deleteCertificate(CertificateId certificate) {
        try {
            calls.run(
                    AwsApi.IOT_DELETE_CERTIFICATE,
                    () -> iot.deleteCertificate(r -> r.certificateId(certificate.value())));
        } catch (ResourceNotFoundException alreadyDeleted) {
            // gone already
        }
    }

    @Override
    public void deleteThing(ThingName thing) {
        try {
            calls.run(AwsApi.IOT_DELETE_THING, () -> iot.deleteThing(r -> r.thingName(thing.value())));
        } catch (ResourceNotFoundException alreadyDeleted) {
            // gone already
        }
    }
}
