/**
 * Use cases of the devices feature (incoming ports {@code OnboardDevice}, {@code RotateCertificate},
 * {@code DecommissionDevice}, {@code ReadDevices}, {@code RecoverAbandonedRequests}), the services that
 * implement them, and the outgoing ports they need ({@code DeviceRegistry}, {@code DeviceRecords},
 * {@code ProvisioningRequests}, {@code PrivateKeySealer}).
 */
package dev.iotdr.onboarding.devices.application;
