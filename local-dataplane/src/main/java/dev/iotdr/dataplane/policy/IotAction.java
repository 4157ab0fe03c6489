package dev.iotdr.dataplane.policy;

/** The IoT Core data-plane actions a broker asks the policies about. */
public enum IotAction {
    CONNECT("iot:Connect"),
    PUBLISH("iot:Publish"),
    SUBSCRIBE("iot:Subscribe"),
    RECEIVE("iot:Receive");

    private final String policyName;

    IotAction(String policyName) {
        this.policyName = policyName;
    }

    /** The action as a policy names it, e.g. {@code iot:Publish}. */
    public String policyName() {
        return policyName;
    }
}
