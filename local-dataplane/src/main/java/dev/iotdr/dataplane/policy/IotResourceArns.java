package dev.iotdr.dataplane.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/** Builds the IoT resource ARNs policies are evaluated against, for one region and account. */
public record IotResourceArns(String region, String account) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    public IotResourceArns {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not a region code such as us-east-1");
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account '" + account + "' is not a 12-digit AWS account id");
        }
    }

    /** The resource of iot:Connect. */
    public String client(String clientId) {
        return prefix() + "client/" + clientId;
    }

    /** The resource of iot:Publish and iot:Receive. */
    public String topic(String topic) {
        return prefix() + "topic/" + topic;
    }

    /** The resource of iot:Subscribe. */
    public String topicFilter(String filter) {
        return prefix() + "topicfilter/" + filter;
    }

    private String prefix() {
        return "arn:aws:iot:" + region + ":" + account + ":";
    }
}
