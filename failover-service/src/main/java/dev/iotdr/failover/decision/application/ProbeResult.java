package dev.iotdr.failover.decision.application;

/** One probe's outcome. */
public record ProbeResult(boolean ok, String detail) {}
