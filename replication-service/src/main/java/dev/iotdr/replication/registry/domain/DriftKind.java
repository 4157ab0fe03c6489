package dev.iotdr.replication.registry.domain;

/** The ways a region's registry can differ from its device table. */
public enum DriftKind {
    /** The device is in the table but its thing is not in the registry. */
    MISSING,
    /** A fleet thing is in the registry but no live record says it should be. */
    EXTRA,
    /** The record applied here is not the table's: an older version, or another region's record of its version. */
    STALE_VERSION,
    /** The certificate is absent here or its status differs from the record's. */
    CERTIFICATE_STATUS,
    /** The device policy is not attached to the certificate. */
    POLICY_NOT_ATTACHED,
    /** The certificate is not attached to the thing. */
    PRINCIPAL_NOT_ATTACHED,
    /** The thing's attributes or groups differ from the record's. */
    ATTRIBUTES
}
