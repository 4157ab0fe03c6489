/**
 * The DR drill of the local stack ({@code ./drctl drill}): a real regional outage, automatic failover,
 * verification that the fleet can connect to the surviving region, recovery and failback, with the
 * timings measured from outside the services (RTO is not what the services say it is, but what the drill
 * sees).
 */
package dev.iotdr.deploy.drill;
