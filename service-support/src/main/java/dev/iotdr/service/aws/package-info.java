/**
 * The edge where this service calls AWS: every SDK call goes through
 * {@link dev.iotdr.service.aws.GuardedAwsCalls}, which paces it per API at the region's quota, retries
 * throttling and 5xx with exponential backoff and jitter, stops calling a service that keeps failing
 * (circuit breaker), times it, and turns "AWS cannot serve this now" into one
 * {@link dev.iotdr.service.aws.DependencyUnavailableException} that the API answers with 503 and
 * {@code Retry-After}. The SDK's own retries are off, so retries never multiply.
 */
package dev.iotdr.service.aws;
