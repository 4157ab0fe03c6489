package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.onboarding.devices.application.DeviceRegistry;
import dev.iotdr.onboarding.devices.application.Problems.InvalidCsr;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.iot.IdempotentIot;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.util.ArrayList;
import java.util.List;
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
    private final IdempotentIot idempotent;
    private final String thingType;

    IotDeviceRegistry(IotClient iot, GuardedAwsCalls calls, String thingType) {
        this.iot = iot;
        this.calls = calls;
        this.idempotent = new IdempotentIot(iot, calls);
        this.thingType = thingType;
    }

    @Override
    public void ensureThingGroup(ThingGroupName group) {
        idempotent.ensureThingGroup(group.value());
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
        idempotent.attachPolicy(policy.value(), certificateArn);
    }

    @Override
    public void detachPolicy(PolicyName policy, String certificateArn) {
        idempotent.detachPolicy(policy.value(), certificateArn);
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
        idempotent.attachThingPrincipal(thing.value(), certificateArn);
    }

    @Override
    public void detachThingPrincipal(ThingName thing, String certificateArn) {
        idempotent.detachThingPrincipal(thing.value(), certificateArn);
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
            idempotent.updateCertificate(certificate.value(), status.name());
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
            idempotent.deleteThing(thing.value());
        } catch (InvalidRequestException attached) {
            // IoT (and the emulator) answer "still attached to one or more principals"
            if (String.valueOf(attached.getMessage()).contains("attached")) {
                throw new ThingInUseException("thing " + thing + " has a principal attached", attached);
            }
            throw attached;
        }
    }

    @Override
    public List<String> principalsOf(ThingName thing) {
        try {
            List<String> principals = new ArrayList<>();
            String next = null;
            do {
                String token = next;
                var page = calls.call(
                        AwsApi.IOT_LIST_THING_PRINCIPALS,
                        () -> iot.listThingPrincipals(
                                r -> r.thingName(thing.value()).nextToken(token)));
                principals.addAll(page.principals());
                next = page.nextToken();
            } while (next != null && !next.isEmpty());
            return principals;
        } catch (ResourceNotFoundException absent) {
            return List.of();
        }
    }
}
