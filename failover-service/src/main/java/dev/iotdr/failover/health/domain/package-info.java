/** What a decider believes of each region's health, with hysteresis, as plain values. */
package dev.iotdr.failover.health.domain;
