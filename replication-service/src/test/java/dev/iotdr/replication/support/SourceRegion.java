package dev.iotdr.replication.support;

import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.contract.DeviceItemCodec;
import dev.iotdr.shared.contract.DeviceTable;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The origin region in integration tests: writes device records the way its onboarding service does, with
 * certificates its IoT really issued, into its streamed device table.
 */
public final class SourceRegion {
    private final RegionalAwsClients clients;
    private final Region region;

    public SourceRegion(RegionalAwsClients clients, Region region) {
        this.clients = clients;
        this.region = region;
    }

    public void ensureTable() {
        try {
            clients.dynamoDb(region).createTable(r -> r.tableName(DeviceTable.DEFAULT_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName(DeviceTable.DEVICE_ID)
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName(DeviceTable.DEVICE_ID)
                            .keyType(KeyType.HASH)
                            .build())
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        } catch (ResourceInUseException exists) {
            // created by an earlier test
        }
    }

    /** A certificate issued by this region's IoT, as onboarding records it. */
    public DeviceCertificate issueCertificate() {
        var issued = clients.iot(region).createKeysAndCertificate(r -> r.setAsActive(true));
        return new DeviceCertificate(
                CertificateId.of(issued.certificateId()),
                issued.certificateArn(),
                issued.certificatePem(),
                CertificateStatus.ACTIVE);
    }

    public DeviceRecord onboard(String deviceId) {
        DeviceRecord record = DeviceRecord.onboarded(
                DeviceId.of(deviceId),
                Set.of(ThingGroupName.of("sensors")),
                ThingAttributes.of(Map.of("model", "th-200", "site", "plant-7")),
                issueCertificate(),
                PolicyName.of("iotdr-device-policy"),
                region,
                Instant.now());
        write(record);
        return record;
    }

    public void write(DeviceRecord record) {
        clients.dynamoDb(region)
                .putItem(r -> r.tableName(DeviceTable.DEFAULT_NAME).item(DeviceItemCodec.toItem(record)));
    }
}
