package dev.iotdr.failover.decision.application;

/** DNS was not in the state the decider observed: someone else changed it first. Nothing was written. */
public final class StaleDnsState extends RuntimeException {
    public StaleDnsState(String message) {
        super(message);
    }
}
