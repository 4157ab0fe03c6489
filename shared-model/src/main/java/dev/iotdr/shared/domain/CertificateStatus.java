package dev.iotdr.shared.domain;

/** The states of an IoT certificate that replication keeps in sync between regions. */
public enum CertificateStatus {
    /** Devices may connect with it. */
    ACTIVE,
    /** Rotated out or decommissioned; can be activated again. */
    INACTIVE,
    /** Compromised; never activated again. */
    REVOKED
}
