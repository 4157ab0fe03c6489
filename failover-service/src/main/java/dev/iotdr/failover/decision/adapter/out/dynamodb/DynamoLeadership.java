package dev.iotdr.failover.decision.adapter.out.dynamodb;

import com.amazonaws.services.dynamodbv2.AcquireLockOptions;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClientOptions;
import com.amazonaws.services.dynamodbv2.LockItem;
import dev.iotdr.failover.decision.application.Leadership;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One decider per region at a time: a lease lock ({@code dynamodb-lock-client}) in this region's lock
 * table, renewed by a heartbeat. Standbys wait for the lease to run out; a decider whose region's DynamoDB
 * stops answering loses the lock when its lease expires.
 */
public final class DynamoLeadership implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DynamoLeadership.class);
    private static final String LOCK = "failover-decider";

    private final AmazonDynamoDBLockClient locks;
    private final Thread elector;
    private volatile LockItem held;
    private volatile boolean running = true;

    public DynamoLeadership(DynamoDbClient dynamo, String table, String owner, long leaseSeconds) {
        this.locks = new AmazonDynamoDBLockClient(AmazonDynamoDBLockClientOptions.builder(dynamo, table)
                .withOwnerName(owner)
                .withTimeUnit(TimeUnit.MILLISECONDS)
                .withLeaseDuration(leaseSeconds * 1000)
                .withHeartbeatPeriod(leaseSeconds * 1000 / 4)
                .withCreateHeartbeatBackgroundThread(true)
                .build());
        this.elector = Thread.ofVirtual().name("failover-leader-election").start(this::elect);
    }

    @Override
    public boolean isLeader() {
        LockItem lock = held;
        return lock != null && !lock.isExpired();
    }

    private void elect() {
        while (running) {
            try {
                if (!isLeader()) {
                    held = null;
                    held = locks.acquireLock(AcquireLockOptions.builder(LOCK)
                            .withTimeUnit(TimeUnit.MILLISECONDS)
                            .withRefreshPeriod(500L)
                            .withAdditionalTimeToWaitForLock(60_000L)
                            .build());
                    log.info("this instance is now the region's failover decider");
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("not the decider yet: {}", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        elector.interrupt();
        LockItem lock = held;
        if (lock != null) {
            try {
                locks.releaseLock(lock);
            } catch (RuntimeException e) {
                log.debug("could not release the decider lock: {}", e.getMessage());
            }
        }
        locks.close();
    }
}
