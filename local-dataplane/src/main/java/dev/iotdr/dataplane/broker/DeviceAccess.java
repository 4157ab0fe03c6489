package dev.iotdr.dataplane.broker;

import java.util.List;

/**
 * Decides one MQTT action for a connected device the way IoT Core's policy engine does, from the documents of the
 * policies attached to its certificate. Actions: {@code iot:Connect}, {@code iot:Publish}, {@code iot:Subscribe},
 * {@code iot:Receive}; resources are full ARNs ({@code ...:client/<id>}, {@code ...:topic/<t>},
 * {@code ...:topicfilter/<f>}).
 */
@FunctionalInterface
public interface DeviceAccess {
    boolean allows(List<String> policyDocuments, Connection connection, String action, String resourceArn);

    /** What a policy's variables can refer to. */
    record Connection(String clientId, String thingName, boolean thingAttached) {}
}
