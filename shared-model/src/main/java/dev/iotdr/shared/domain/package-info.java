/**
 * The fleet's domain: device identity, its registry entry and the region topology, as immutable values
 * validated at construction.
 *
 * <p>This package depends on the JDK only: no Spring, no AWS SDK (an ArchUnit test enforces it), so every
 * service and every test can use it without a cloud. Names follow AWS IoT's own rules so that a value that
 * constructs here is one that IoT Core accepts.
 */
package dev.iotdr.shared.domain;
