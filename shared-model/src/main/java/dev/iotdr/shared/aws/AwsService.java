package dev.iotdr.shared.aws;

/** The AWS services this system calls, with whether each is regional or global. */
public enum AwsService {
    IOT("iot", false),
    DYNAMODB("dynamodb", false),
    DYNAMODB_STREAMS("dynamodbstreams", false),
    SQS("sqs", false),
    S3("s3", false),
    /** Route 53 is a global service: one endpoint for every region. */
    ROUTE53("route53", true);

    private final String id;
    private final boolean global;

    AwsService(String id, boolean global) {
        this.id = id;
        this.global = global;
    }

    /** The short name used in configuration keys, e.g. {@code dynamodbstreams}. */
    public String id() {
        return id;
    }

    public boolean isGlobal() {
        return global;
    }

    public static AwsService fromId(String id) {
        for (AwsService service : values()) {
            if (service.id.equals(id)) {
                return service;
            }
        }
        throw new IllegalArgumentException(
                "unknown AWS service '" + id + "'; known: iot, dynamodb, " + "dynamodbstreams, sqs, s3, route53");
    }
}
