/**
 * The failover rules as a pure function: given what the decider observed, may it make {@code target}
 * the active region, and if not, which rule says no. Automatic and manual decisions go through the same
 * rules; {@code force} (with a reason) is the only way around them.
 */
package dev.iotdr.failover.decision.domain;
