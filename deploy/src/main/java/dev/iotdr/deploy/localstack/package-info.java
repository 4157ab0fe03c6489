/**
 * The local stack behind {@code ./drctl up}: one long-lived supervisor process that owns the local cloud
 * (and, as they arrive, every service module in every region), writes what runs where to
 * {@code .drctl/state.json}, and on SIGTERM ({@code ./drctl down}) stops everything it started by PID.
 *
 * <p>A supervisor, rather than a script that forks emulators and exits, because the emulator manager's
 * outage controls (stop and restart one region, used by drills) need a process that holds the emulators; it
 * exposes them on a loopback control endpoint.
 */
package dev.iotdr.deploy.localstack;
