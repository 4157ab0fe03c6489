package dev.iotdr.dataplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.shared.contract.DevicePolicy;
import org.junit.jupiter.api.Test;

/** The project's device policy, as the local data plane evaluates it for a device. */
class DevicePolicyTest {
    private static final IotPolicy POLICY = IotPolicy.parse(DevicePolicy.document());
    private static final IotResourceArns ARNS = new IotResourceArns("eu-west-1", "123456789012");
    private static final ConnectionContext THING_1 = ConnectionContext.attached(AttachedThing.named("thing-1"));

    @Test
    void aDeviceMayPublishOnItsOwnTelemetryTopic() {
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topic("dt/thing-1/telemetry"), THING_1))
                .isTrue();
    }

    @Test
    void aDeviceMayNotPublishOnAnotherThingsTopic() {
        assertThat(POLICY.evaluate(IotAction.PUBLISH, ARNS.topic("dt/thing-2/telemetry"), THING_1))
                .isEqualTo(PolicyDecision.NOT_ALLOWED);
    }

    @Test
    void aDeviceMayPublishItsFleetTelemetryButNotAnotherThingsFleetTelemetry() {
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topic("dt/fleet/thing-1/telemetry"), THING_1))
                .isTrue();
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topic("dt/fleet/thing-2/telemetry"), THING_1))
                .isFalse();
    }

    @Test
    void aDeviceMaySubscribeToItsOwnCommandFilterAndReceiveOnIt() {
        assertThat(POLICY.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("cmd/thing-1/#"), THING_1))
                .isTrue();
        assertThat(POLICY.allows(IotAction.RECEIVE, ARNS.topic("cmd/thing-1/reboot"), THING_1))
                .isTrue();
    }

    @Test
    void subscribingToEverythingIsDenied() {
        assertThat(POLICY.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("#"), THING_1))
                .isFalse();
        assertThat(POLICY.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("cmd/+/#"), THING_1))
                .as("+ is a literal character in a policy, not a wildcard that could match thing-1")
                .isFalse();
    }

    @Test
    void aDeviceMaySubscribeToItsShadowButNotPublishOnAnotherThingsShadow() {
        assertThat(POLICY.allows(
                        IotAction.SUBSCRIBE, ARNS.topicFilter("$aws/things/thing-1/shadow/update/accepted"), THING_1))
                .isTrue();
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topic("$aws/things/thing-2/shadow/update"), THING_1))
                .isFalse();
    }

    @Test
    void connectingWithTheThingNameAsClientIdIsAllowedWhenTheCertificateIsAttached() {
        assertThat(POLICY.allows(IotAction.CONNECT, ARNS.client("thing-1"), THING_1))
                .isTrue();
    }

    @Test
    void connectingWithAnotherClientIdIsDenied() {
        assertThat(POLICY.allows(IotAction.CONNECT, ARNS.client("thing-2"), THING_1))
                .isFalse();
    }

    @Test
    void aCertificateAttachedToNoThingMayNeitherConnectNorPublish() {
        ConnectionContext unattached = ConnectionContext.unattached("thing-1");
        assertThat(POLICY.allows(IotAction.CONNECT, ARNS.client("thing-1"), unattached))
                .as("the thing-name variable has no value, and IsAttached is false")
                .isFalse();
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topic("dt/thing-1/telemetry"), unattached))
                .isFalse();
    }

    @Test
    void publishingIsNotConnecting() {
        assertThat(POLICY.allows(IotAction.CONNECT, ARNS.topic("dt/thing-1/telemetry"), THING_1))
                .isFalse();
        assertThat(POLICY.allows(IotAction.PUBLISH, ARNS.topicFilter("dt/thing-1/telemetry"), THING_1))
                .as("a topicfilter ARN is not a topic ARN")
                .isFalse();
    }
}
