package dev.iotdr.onboarding.devices.adapter.out.iot;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.shared.domain.PolicyName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Ensures, idempotently, what onboarding needs in this region's IoT: the device policy and the thing type
 * (AWS allows more than three attributes only on a thing with a type). Until CloudFormation templates own
 * them, the service does this at startup.
 */
final class IotResources {
    private static final Logger log = LoggerFactory.getLogger(IotResources.class);

    private final IotClient iot;
    private final GuardedAwsCalls calls;

    IotResources(IotClient iot, GuardedAwsCalls calls) {
        this.iot = iot;
        this.calls = calls;
    }

    void ensure(PolicyName policy, String policyDocument, String thingType) {
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
