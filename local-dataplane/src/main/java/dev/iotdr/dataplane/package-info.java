/**
 * The parts of AWS that moto has no data plane for, supplied on real libraries for the local stack: a regional
 * IoT data plane (MQTT over TLS with IoT Core's authentication, policies, topic rules and lifecycle events, plus
 * the regional api load balancer) and the DNS that answers the custom names from the Route 53 hosted zone.
 */
package dev.iotdr.dataplane;
