package dev.iotdr.failover.decision.application;

/** Whether this instance is the decider of its region now. */
public interface Leadership {
    boolean isLeader();
}
