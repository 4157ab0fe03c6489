package dev.iotdr.failover.decision.application;

import java.util.List;

/** Route 53 health-check state changes, as they arrive (CloudWatch alarm to SNS to SQS in AWS). */
public interface HealthSignals {
    List<HealthSignal> poll();
}
