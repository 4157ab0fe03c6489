package dev.iotdr.service.aws;

import dev.iotdr.shared.aws.AwsService;

/**
 * The AWS APIs this service calls, with AWS's default per-region quota in transactions per second where one
 * binds us (0: not paced; DynamoDB on demand scales instead of throttling at a fixed rate).
 */
public enum AwsApi {
    IOT_CREATE_THING(AwsService.IOT, "CreateThing", 100),
    IOT_DESCRIBE_THING(AwsService.IOT, "DescribeThing", 350),
    IOT_UPDATE_THING(AwsService.IOT, "UpdateThing", 100),
    IOT_DELETE_THING(AwsService.IOT, "DeleteThing", 100),
    IOT_CREATE_THING_GROUP(AwsService.IOT, "CreateThingGroup", 25),
    IOT_DESCRIBE_THING_GROUP(AwsService.IOT, "DescribeThingGroup", 100),
    IOT_ADD_THING_TO_THING_GROUP(AwsService.IOT, "AddThingToThingGroup", 100),
    IOT_CREATE_THING_TYPE(AwsService.IOT, "CreateThingType", 15),
    IOT_CREATE_KEYS_AND_CERTIFICATE(AwsService.IOT, "CreateKeysAndCertificate", 10),
    IOT_CREATE_CERTIFICATE_FROM_CSR(AwsService.IOT, "CreateCertificateFromCsr", 15),
    IOT_UPDATE_CERTIFICATE(AwsService.IOT, "UpdateCertificate", 10),
    IOT_DELETE_CERTIFICATE(AwsService.IOT, "DeleteCertificate", 10),
    IOT_DESCRIBE_CERTIFICATE(AwsService.IOT, "DescribeCertificate", 10),
    IOT_ATTACH_POLICY(AwsService.IOT, "AttachPolicy", 15),
    IOT_DETACH_POLICY(AwsService.IOT, "DetachPolicy", 15),
    IOT_ATTACH_THING_PRINCIPAL(AwsService.IOT, "AttachThingPrincipal", 100),
    IOT_DETACH_THING_PRINCIPAL(AwsService.IOT, "DetachThingPrincipal", 100),
    IOT_LIST_THING_PRINCIPALS(AwsService.IOT, "ListThingPrincipals", 20),
    IOT_CREATE_POLICY(AwsService.IOT, "CreatePolicy", 10),
    IOT_GET_POLICY(AwsService.IOT, "GetPolicy", 15),
    IOT_REGISTER_CERTIFICATE_WITHOUT_CA(AwsService.IOT, "RegisterCertificateWithoutCA", 10),
    IOT_LIST_THING_GROUPS_FOR_THING(AwsService.IOT, "ListThingGroupsForThing", 100),
    IOT_REMOVE_THING_FROM_THING_GROUP(AwsService.IOT, "RemoveThingFromThingGroup", 100),
    IOT_LIST_ATTACHED_POLICIES(AwsService.IOT, "ListAttachedPolicies", 20),
    IOT_LIST_THINGS(AwsService.IOT, "ListThings", 10),
    DYNAMODB_GET_ITEM(AwsService.DYNAMODB, "GetItem", 0),
    DYNAMODB_PUT_ITEM(AwsService.DYNAMODB, "PutItem", 0),
    DYNAMODB_UPDATE_ITEM(AwsService.DYNAMODB, "UpdateItem", 0),
    DYNAMODB_DELETE_ITEM(AwsService.DYNAMODB, "DeleteItem", 0),
    DYNAMODB_SCAN(AwsService.DYNAMODB, "Scan", 0),
    DYNAMODB_QUERY(AwsService.DYNAMODB, "Query", 0),
    DYNAMODB_TRANSACT_WRITE_ITEMS(AwsService.DYNAMODB, "TransactWriteItems", 0),
    DYNAMODB_BATCH_WRITE_ITEM(AwsService.DYNAMODB, "BatchWriteItem", 0),
    DYNAMODB_BATCH_GET_ITEM(AwsService.DYNAMODB, "BatchGetItem", 0),
    DYNAMODB_DESCRIBE_TABLE(AwsService.DYNAMODB, "DescribeTable", 0),
    DYNAMODB_CREATE_TABLE(AwsService.DYNAMODB, "CreateTable", 0),
    DYNAMODB_UPDATE_TIME_TO_LIVE(AwsService.DYNAMODB, "UpdateTimeToLive", 0),
    SQS_GET_QUEUE_URL(AwsService.SQS, "GetQueueUrl", 0),
    SQS_CREATE_QUEUE(AwsService.SQS, "CreateQueue", 0),
    SQS_GET_QUEUE_ATTRIBUTES(AwsService.SQS, "GetQueueAttributes", 0),
    SQS_SET_QUEUE_ATTRIBUTES(AwsService.SQS, "SetQueueAttributes", 0),
    SQS_SEND_MESSAGE(AwsService.SQS, "SendMessage", 0),
    STREAMS_DESCRIBE_STREAM(AwsService.DYNAMODB_STREAMS, "DescribeStream", 10),
    STREAMS_GET_SHARD_ITERATOR(AwsService.DYNAMODB_STREAMS, "GetShardIterator", 0),
    /** AWS allows 5 GetRecords per second per shard; one poll per shard every 250 ms stays under it. */
    STREAMS_GET_RECORDS(AwsService.DYNAMODB_STREAMS, "GetRecords", 0);

    private final AwsService service;
    private final String operation;
    private final double defaultQuotaPerSecond;

    AwsApi(AwsService service, String operation, double defaultQuotaPerSecond) {
        this.service = service;
        this.operation = operation;
        this.defaultQuotaPerSecond = defaultQuotaPerSecond;
    }

    public AwsService service() {
        return service;
    }

    /** The operation's name as AWS spells it, e.g. {@code AttachPolicy}; also the configuration key. */
    public String operation() {
        return operation;
    }

    public double defaultQuotaPerSecond() {
        return defaultQuotaPerSecond;
    }
}
