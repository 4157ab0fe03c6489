package dev.iotdr.onboarding.devices.application;

/**
 * This attempt no longer holds its saga: another attempt (a retry with the same key after the lease ran out,
 * or the sweeper) wrote it first. The overtaken attempt stops where it is and undoes nothing the saga
 * recorded; the attempt that holds the saga now finishes or undoes it.
 */
final class SagaTakenOver extends RuntimeException {
    SagaTakenOver(String message, Throwable cause) {
        super(message, cause);
    }
}
