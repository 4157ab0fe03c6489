/**
 * Typed settings and the wiring that is shared by every feature of the service: the region this instance
 * serves, the topology, how to reach AWS, and the clock.
 */
package dev.iotdr.onboarding.config;
