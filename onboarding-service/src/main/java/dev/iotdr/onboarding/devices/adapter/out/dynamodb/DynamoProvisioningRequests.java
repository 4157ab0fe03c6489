package dev.iotdr.onboarding.devices.adapter.out.dynamodb;

import dev.iotdr.onboarding.devices.application.ProvisioningRequests;
import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.onboarding.devices.domain.SealedSecret;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.dynamodb.DynamoQueries;
import dev.iotdr.service.dynamodb.TableShape;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * {@link ProvisioningRequests} on one regional table (default {@code onboarding-requests}). Key layout,
 * written down once:
 *
 * <table>
 *   <caption>Items</caption>
 *   <tr><th>pk</th><th>what</th><th>read by</th></tr>
 *   <tr><td>{@code request#<idempotencyKey>}</td><td>a saga's state; expires through TTL on {@code ttl}
 *       (readers check {@code expiresAt} themselves because TTL deletes late)</td><td>GetItem</td></tr>
 *   <tr><td>{@code claim#<deviceId>}</td><td>which request owns a device id ({@code owner}), which attempt of
 *       it took the claim ({@code attempt}) and over which generation of the device ({@code generation}: the
 *       tombstone version it replaces); one per device, kept</td>
 *       <td>GetItem, conditional writes</td></tr>
 * </table>
 *
 * <p>Index {@code unfinished} (sparse): hash {@code unfinished} = {@code unfinished#<0..3>} (the key's hash
 * spreads writes over four partitions), sort {@code leaseUntil}. Only sagas still IN_PROGRESS, COMMITTED
 * or ROLLBACK_PENDING carry it (every save rewrites the whole item, so a finished saga leaves the index).
 * The sweeper queries it for leases expired before now: its work follows the number of unfinished sagas,
 * never the number of devices or claims.
 */
final class DynamoProvisioningRequests implements ProvisioningRequests {
    static final String PK = "pk";
    static final String TTL = "ttl";
    static final String UNFINISHED_INDEX = "unfinished";
    static final String UNFINISHED = "unfinished";
    static final String LEASE_UNTIL = "leaseUntil";
    private static final int UNFINISHED_BUCKETS = 4;
    private static final Set<Status> UNFINISHED_STATES =
            EnumSet.of(Status.IN_PROGRESS, Status.COMMITTED, Status.ROLLBACK_PENDING);

    private final DynamoDbClient dynamo;
    private final GuardedAwsCalls calls;
    private final String table;

    DynamoProvisioningRequests(DynamoDbClient dynamo, GuardedAwsCalls calls, String table) {
        this.dynamo = dynamo;
        this.calls = calls;
        this.table = table;
    }

    @Override
    public Optional<ProvisioningRequest> find(IdempotencyKey key) {
        GetItemResponse response = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r ->
                        r.tableName(table).key(Map.of(PK, s(requestKey(key)))).consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(decode(response.item()))
                : Optional.empty();
    }

    @Override
    public ProvisioningRequest create(ProvisioningRequest request, Instant now) {
        ProvisioningRequest stored = request.atRevision(1);
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(encode(stored))
                            .conditionExpression("attribute_not_exists(#pk) OR #expires <= :now")
                            .expressionAttributeNames(Map.of("#pk", PK, "#expires", "expiresAt"))
                            .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli())))));
        } catch (ConditionalCheckFailedException taken) {
            throw new StaleRequestException("a live request has key " + request.key(), taken);
        }
        return stored;
    }

    @Override
    public ProvisioningRequest update(ProvisioningRequest request) {
        ProvisioningRequest stored = request.atRevision(request.revision() + 1);
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(encode(stored))
                            .conditionExpression("#revision = :revision")
                            .expressionAttributeNames(Map.of("#revision", "revision"))
                            .expressionAttributeValues(Map.of(":revision", n(request.revision())))));
        } catch (ConditionalCheckFailedException raced) {
            throw new StaleRequestException("request " + request.key() + " was written by another attempt", raced);
        }
        return stored;
    }

    @Override
    public Optional<IdempotencyKey> claim(DeviceId device, IdempotencyKey owner, long attempt, long generation) {
        String condition = "attribute_not_exists(#pk)"
                + " OR (#owner = :owner AND (attribute_not_exists(#attempt) OR #attempt <= :attempt))"
                + (generation > 0 ? " OR attribute_not_exists(#generation) OR #generation < :generation" : "");
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#owner", "owner", "#attempt", "attempt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", s(owner.value()), ":attempt", n(attempt)));
        if (generation > 0) {
            names.put("#generation", "generation");
            values.put(":generation", n(generation));
        }
        try {
            calls.run(
                    AwsApi.DYNAMODB_PUT_ITEM,
                    () -> dynamo.putItem(r -> r.tableName(table)
                            .item(Map.of(
                                    PK,
                                    s(claimKey(device)),
                                    "owner",
                                    s(owner.value()),
                                    "attempt",
                                    n(attempt),
                                    "generation",
                                    n(generation)))
                            .conditionExpression(condition)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)));
            return Optional.empty();
        } catch (ConditionalCheckFailedException held) {
            Optional<Map<String, AttributeValue>> current = claimOf(device);
            if (current.isEmpty()) {
                return claim(device, owner, attempt, generation); // released in between: try once more
            }
            return Optional.of(new IdempotencyKey(current.get().get("owner").s()));
        }
    }

    @Override
    public void release(DeviceId device, IdempotencyKey owner, long attempt) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_DELETE_ITEM,
                    () -> dynamo.deleteItem(r -> r.tableName(table)
                            .key(Map.of(PK, s(claimKey(device))))
                            .conditionExpression(
                                    "#owner = :owner AND (attribute_not_exists(#attempt) OR #attempt <= :attempt)")
                            .expressionAttributeNames(Map.of("#owner", "owner", "#attempt", "attempt"))
                            .expressionAttributeValues(Map.of(":owner", s(owner.value()), ":attempt", n(attempt)))));
        } catch (ConditionalCheckFailedException notOurs) {
            // another request or a later attempt holds it, or nobody does: nothing of ours to release
        }
    }

    @Override
    public boolean holds(DeviceId device, IdempotencyKey owner, long attempt) {
        return claimOf(device)
                .filter(claim -> owner.value().equals(claim.get("owner").s()))
                .filter(claim -> !claim.containsKey("attempt")
                        || Long.parseLong(claim.get("attempt").n()) <= attempt)
                .isPresent();
    }

    @Override
    public void releaseSupersededBy(DeviceId device, long tombstoneVersion) {
        try {
            calls.run(
                    AwsApi.DYNAMODB_DELETE_ITEM,
                    () -> dynamo.deleteItem(r -> r.tableName(table)
                            .key(Map.of(PK, s(claimKey(device))))
                            .conditionExpression("attribute_not_exists(#generation) OR #generation < :version")
                            .expressionAttributeNames(Map.of("#generation", "generation"))
                            .expressionAttributeValues(Map.of(":version", n(tombstoneVersion)))));
        } catch (ConditionalCheckFailedException reclaimed) {
            // claimed again over this tombstone (a new onboarding): that claim stays
        }
    }

    private Optional<Map<String, AttributeValue>> claimOf(DeviceId device) {
        GetItemResponse current = calls.call(
                AwsApi.DYNAMODB_GET_ITEM,
                () -> dynamo.getItem(r ->
                        r.tableName(table).key(Map.of(PK, s(claimKey(device)))).consistentRead(true)));
        return current.hasItem() && !current.item().isEmpty() ? Optional.of(current.item()) : Optional.empty();
    }

    static TableShape shape(String table) {
        return TableShape.hashOnly(table, PK)
                .withIndex(new TableShape.Index(UNFINISHED_INDEX, UNFINISHED, LEASE_UNTIL));
    }

    @Override
    public List<ProvisioningRequest> unfinished(Instant leaseExpiredBefore) {
        List<ProvisioningRequest> found = new ArrayList<>();
        for (int bucket = 0; bucket < UNFINISHED_BUCKETS; bucket++) {
            String partition = UNFINISHED + "#" + bucket;
            DynamoQueries.forEach(
                    dynamo,
                    calls,
                    request -> request.tableName(table)
                            .indexName(UNFINISHED_INDEX)
                            .keyConditionExpression("#bucket = :bucket AND #lease < :now")
                            .expressionAttributeNames(Map.of("#bucket", UNFINISHED, "#lease", LEASE_UNTIL))
                            .expressionAttributeValues(
                                    Map.of(":bucket", s(partition), ":now", n(leaseExpiredBefore.toEpochMilli()))),
                    item -> found.add(decode(item)));
        }
        return found;
    }

    static Map<String, AttributeValue> encode(ProvisioningRequest request) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(requestKey(request.key())));
        item.put("key", s(request.key().value()));
        item.put("fingerprint", s(request.fingerprint()));
        item.put("operation", s(request.operation().name()));
        item.put("deviceId", s(request.deviceId().value()));
        item.put("status", s(request.status().name()));
        item.put("revision", n(request.revision()));
        item.put("attempt", n(request.attempt()));
        item.put("thingCreated", AttributeValue.fromBool(request.thingCreated()));
        request.certificate().ifPresent(certificate -> {
            item.put("certificateId", s(certificate.id().value()));
            item.put("certificateArn", s(certificate.arn()));
            item.put("certificatePem", s(certificate.pem()));
        });
        request.privateKey().ifPresent(secret -> {
            item.put("privateKeyKeyId", s(secret.keyId()));
            item.put("privateKeySealed", s(secret.ciphertext()));
        });
        request.replacedCertificate().ifPresent(old -> item.put("replacedCertificateId", s(old.value())));
        item.put("recordVersion", n(request.recordVersion()));
        request.rejection().ifPresent(reason -> item.put("rejection", s(reason)));
        item.put("createdAt", n(request.createdAt().toEpochMilli()));
        item.put("expiresAt", n(request.expiresAt().toEpochMilli()));
        item.put(LEASE_UNTIL, n(request.leaseUntil().toEpochMilli()));
        if (UNFINISHED_STATES.contains(request.status())) {
            item.put(
                    UNFINISHED,
                    s(UNFINISHED + "#" + Math.floorMod(request.key().value().hashCode(), UNFINISHED_BUCKETS)));
        }
        item.put(TTL, n(request.expiresAt().getEpochSecond() + 3600));
        return item;
    }

    static ProvisioningRequest decode(Map<String, AttributeValue> item) {
        Optional<DeviceCertificate> certificate = Optional.ofNullable(item.get("certificateId"))
                .map(id -> new DeviceCertificate(
                        CertificateId.of(id.s()),
                        item.get("certificateArn").s(),
                        item.get("certificatePem").s(),
                        CertificateStatus.INACTIVE));
        Optional<SealedSecret> privateKey = Optional.ofNullable(item.get("privateKeySealed"))
                .map(ciphertext -> new SealedSecret(item.get("privateKeyKeyId").s(), ciphertext.s()));
        return new ProvisioningRequest(
                new IdempotencyKey(item.get("key").s()),
                item.get("fingerprint").s(),
                Operation.valueOf(item.get("operation").s()),
                DeviceId.of(item.get("deviceId").s()),
                Status.valueOf(item.get("status").s()),
                Long.parseLong(item.get("revision").n()),
                Optional.ofNullable(item.get("attempt"))
                        .map(value -> Long.parseLong(value.n()))
                        .orElse(1L), // sagas stored before attempts were counted
                item.get("thingCreated").bool(),
                certificate,
                privateKey,
                Optional.ofNullable(item.get("replacedCertificateId")).map(old -> CertificateId.of(old.s())),
                Long.parseLong(item.get("recordVersion").n()),
                Optional.ofNullable(item.get("rejection")).map(AttributeValue::s),
                instant(item.get("createdAt")),
                instant(item.get("expiresAt")),
                instant(item.get("leaseUntil")));
    }

    private static String requestKey(IdempotencyKey key) {
        return "request#" + key.value();
    }

    private static String claimKey(DeviceId device) {
        return "claim#" + device.value();
    }

    private static Instant instant(AttributeValue value) {
        return Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
