/**
 * The one place that builds AWS SDK v2 clients for a region. Endpoint overrides (per region and per service),
 * credentials, timeouts and retry mode come from {@link dev.iotdr.shared.aws.AwsClientSettings}, so that the
 * same code runs against the local two-region emulator, LocalStack or real AWS. Nobody builds a client ad
 * hoc: a service that needs one asks {@link dev.iotdr.shared.aws.RegionalAwsClients}.
 *
 * <p>A call to a region that does not answer at all (connection refused, unknown host, no route) fails with
 * {@link dev.iotdr.shared.aws.RegionUnavailableException}, which names the region, the service and the
 * endpoint, so that callers can answer 503 quickly and health probes can tell an outage from an error.
 */
package dev.iotdr.shared.aws;
