package dev.iotdr.service.iot;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * The IoT registry operations every service needs, each guarded (paced, retried, timed) and idempotent:
 * ensuring what already exists and removing what is already gone both succeed. Shared by onboarding's and
 * replication's registry adapters, so both treat AWS's (and the emulator's) answers the same way.
 */
public final class IdempotentIot {
    private final IotClient iot;
    private final GuardedAwsCalls calls;

    public IdempotentIot(IotClient iot, GuardedAwsCalls calls) {
        this.iot = iot;
        this.calls = calls;
    }

    public IotClient client() {
        return iot;
    }

    /** Describe first: the emulator refuses a repeated CreateThingGroup even with the same properties. */
    public void ensureThingGroup(String group) {
        try {
            calls.run(AwsApi.IOT_DESCRIBE_THING_GROUP, () -> iot.describeThingGroup(r -> r.thingGroupName(group)));
        } catch (ResourceNotFoundException absent) {
            try {
                calls.run(AwsApi.IOT_CREATE_THING_GROUP, () -> iot.createThingGroup(r -> r.thingGroupName(group)));
            } catch (ResourceAlreadyExistsException createdMeanwhile) {
                // there now, which is all we want
            }
        }
    }

    public void attachPolicy(String policy, String certificateArn) {
        calls.run(
                AwsApi.IOT_ATTACH_POLICY,
                () -> iot.attachPolicy(r -> r.policyName(policy).target(certificateArn)));
    }

    public void detachPolicy(String policy, String certificateArn) {
        try {
            calls.run(
                    AwsApi.IOT_DETACH_POLICY,
                    () -> iot.detachPolicy(r -> r.policyName(policy).target(certificateArn)));
        } catch (ResourceNotFoundException notAttached) {
            // detached, or the certificate is gone: either way not attached
        }
    }

    public void attachThingPrincipal(String thing, String certificateArn) {
        calls.run(
                AwsApi.IOT_ATTACH_THING_PRINCIPAL,
                () -> iot.attachThingPrincipal(r -> r.thingName(thing).principal(certificateArn)));
    }

    public void detachThingPrincipal(String thing, String certificateArn) {
        try {
            calls.run(
                    AwsApi.IOT_DETACH_THING_PRINCIPAL,
                    () -> iot.detachThingPrincipal(r -> r.thingName(thing).principal(certificateArn)));
        } catch (ResourceNotFoundException notAttached) {
            // the thing or the attachment is gone: not attached
        }
    }

    public void updateCertificate(String certificateId, String status) {
        calls.run(
                AwsApi.IOT_UPDATE_CERTIFICATE,
                () -> iot.updateCertificate(r -> r.certificateId(certificateId).newStatus(status)));
    }

    public void deleteThing(String thing) {
        try {
            calls.run(AwsApi.IOT_DELETE_THING, () -> iot.deleteThing(r -> r.thingName(thing)));
        } catch (ResourceNotFoundException alreadyDeleted) {
            // gone already
        }
    }
}
