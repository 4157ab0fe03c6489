/**
 * The local two-region cloud: one {@code moto_server} process per region plus one for global services
 * (Route 53), each on its own loopback port, so that a regional outage is real: stop that region's process
 * and nothing answers there.
 *
 * <p>Tests (through {@link dev.iotdr.deploy.localcloud.LocalCloudExtension}) and the local stack behind
 * {@code ./drctl up} share this one manager. Every process it starts it stops by its own PID, never by
 * name, and a JVM shutdown hook stops whatever is still running if the JVM exits without closing it.
 *
 * <p>The emulator keeps its state in memory: a region stopped and started again comes back empty, like a
 * region rebuilt from scratch. What must survive an outage is the other region's copy, which is the point
 * of the system.
 */
package dev.iotdr.deploy.localcloud;
