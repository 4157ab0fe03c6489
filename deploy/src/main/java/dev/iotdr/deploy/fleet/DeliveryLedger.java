package dev.iotdr.deploy.fleet;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The drill's count of lost messages, apart from how it reads them: a message is delivered when the surviving
 * region's hot store holds it, or when it was left in the failed region's queue (SQS keeps a queue through an
 * outage, for that region's ingest once it is back); anything else that was expected is lost, including what only
 * the failed region's hot store held (it went with the region). Messages are told apart by their per-device
 * sequence number, so a message found twice is still one, and one found twice never makes up for one missing.
 */
public final class DeliveryLedger {
    private DeliveryLedger() {}

    /**
     * @param expected per device, the sequence numbers that had to arrive: every one produced and no longer in its
     *     buffer (acknowledged; or dropped by the buffer or rejected by the endpoint, which then count as lost here
     *     and are reported apart too)
     * @param inSurvivor per device, what the surviving region's hot store holds
     * @param leftInFailedQueue per device, what was read from the failed region's queue
     * @return how many expected messages are in neither
     */
    public static long lost(
            Map<String, Set<Long>> expected,
            Function<String, Set<Long>> inSurvivor,
            Function<String, Set<Long>> leftInFailedQueue) {
        long lost = 0;
        for (Map.Entry<String, Set<Long>> device : expected.entrySet()) {
            Set<Long> missing = new HashSet<>(device.getValue());
            missing.removeAll(inSurvivor.apply(device.getKey()));
            missing.removeAll(leftInFailedQueue.apply(device.getKey()));
            lost += missing.size();
        }
        return lost;
    }
}
