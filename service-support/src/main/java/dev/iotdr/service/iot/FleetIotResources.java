package dev.iotdr.service.iot;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.PolicyName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Ensures, idempotently, what every device needs in a region's IoT: the device policy and the thing type
 * (AWS allows more than three attributes only on a thing with a type). Onboarding and replication both
 * ensure them, so whichever region a device lands in has them. Until CloudFormation templates own them,
 * the services do this at startup and when readiness finds them missing.
 */
public final class FleetIotResources {
    private static final Logger log = LoggerFactory.getLogger(FleetIotResources.class);

    private final IotClient iot;
    private final GuardedAwsCalls calls;

    public FleetIotResources(IotClient iot, GuardedAwsCalls calls) {
        this.iot = iot;
        this.calls = calls;
    }

    public void ensure(PolicyName policy, String policyDocument, String thingType) {
        try {
            calls.run(AwsApi.IOT_GET_POLICY, () -> iot.getPolicy(r -> r.policyName(policy.value())));
        } catch (ResourceNotFoundException absent) {
            try {
                calls.run(
                        AwsApi.IOT_CREATE_POLICY,
                        () -> iot.createPolicy(r -> r.policyName(policy.value()).policyDocument(policyDocument)));
                log.info("created IoT policy {}", policy);
            } catch (ResourceAlreadyExistsException createdMeanwhile) {
                // another instance created it
            }
        }
        try {
            calls.run(AwsApi.IOT_CREATE_THING_TYPE, () -> iot.createThingType(r -> r.thingTypeName(thingType)));
        } catch (ResourceAlreadyExistsException exists) {
            // there already
        }
    }
}
