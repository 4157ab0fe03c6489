/**
 * Failover use cases and their ports. The argument against split brain, in short: Route 53 is the one
 * source of truth for which region is active (the region its PRIMARY-role records point at); every change
 * of it is a compare-and-swap against the state last observed (the generation record deleted at its exact
 * old value and re-created, in one atomic change batch, which Route 53 rejects whole if the old value
 * differs); a decider automatically promotes only its own region, and only while the active region is
 * declared unhealthy; and within a region one decider acts at a time (a DynamoDB lock). So two deciders,
 * or a partition between regions, can both try, but only one change from a given state can win, and a
 * region cut off from Route 53 cannot make itself active. (The emulator accepts a mismatched DELETE, so
 * there the adapter also reads and compares right before writing; see docs/failover.md.)
 */
package dev.iotdr.failover.decision.application;
