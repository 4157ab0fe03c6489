package dev.iotdr.shared.contract;

/**
 * The device table's schema: one item per device keyed on the device id, streamed with new and old images.
 * In AWS it is a global table; in the local stack each region has its own and replication copies between
 * them.
 */
public final class DeviceTable {
    /** Default table name; services may be configured with another. */
    public static final String DEFAULT_NAME = "devices";

    public static final String DEVICE_ID = "deviceId";
    public static final String THING_NAME = "thingName";
    public static final String THING_GROUPS = "thingGroups";
    public static final String ATTRIBUTES = "attributes";
    public static final String CERTIFICATE_ID = "certificateId";
    public static final String CERTIFICATE_ARN = "certificateArn";
    public static final String CERTIFICATE_PEM = "certificatePem";
    public static final String CERTIFICATE_STATUS = "certificateStatus";
    public static final String RETIRED_CERTIFICATES = "retiredCertificates";
    public static final String POLICY_NAME = "policyName";
    public static final String STATUS = "status";
    public static final String VERSION = "version";
    public static final String ORIGIN_REGION = "originRegion";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String SCHEMA_VERSION = "schemaVersion";

    /** Bumped when the item layout changes incompatibly; readers refuse layouts newer than they know. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    private DeviceTable() {}
}
