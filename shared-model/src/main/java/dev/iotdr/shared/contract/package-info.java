/**
 * Contracts that several services share on the wire: the device table's schema and the codec between a
 * {@link dev.iotdr.shared.domain.DeviceRecord} and its DynamoDB item. Onboarding writes items with it,
 * replication reads stream images with it; a field added here is added for both.
 */
package dev.iotdr.shared.contract;
