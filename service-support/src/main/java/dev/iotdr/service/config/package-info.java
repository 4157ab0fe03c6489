/**
 * Settings and wiring every service shares: the region it serves and how it reaches AWS
 * ({@link dev.iotdr.service.config.RegionProperties}), the resources it keeps ensured in its region
 * ({@link dev.iotdr.service.config.RegionResources}), and its start under the local stack.
 */
package dev.iotdr.service.config;
