/**
 * Devices: onboarding, certificate rotation, decommissioning and reading, in this instance's region.
 *
 * <p>Onboarding and rotation are sagas over AWS IoT and the device table. Every step is recorded in the
 * provisioning-request store under the caller's {@code Idempotency-Key}, so a retry resumes where the last
 * attempt stopped. Until the device record is written, any failure is compensated at once (certificate
 * detached, deactivated and deleted, thing deleted, device claim released): a request that is abandoned or
 * rejected leaves nothing behind. Certificates are created INACTIVE and activated only as the last IoT step,
 * so even a certificate orphaned by a crash between IoT's answer and our write cannot be used. Once the
 * record is written the device exists, and the saga only moves forward.
 */
package dev.iotdr.onboarding.devices;
