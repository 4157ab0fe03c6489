package dev.iotdr.shared.aws;

import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds, caches and closes the AWS SDK v2 clients of every region, all from one {@link AwsClientSettings}.
 * Clients are thread-safe and built once per (service, region); they share one HTTP connection pool.
 */
public final class RegionalAwsClients implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 200;

    private final AwsClientSettings settings;
    private final SdkHttpClient httpClient;
    private final Map<Key, SdkClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RegionalAwsClients(AwsClientSettings settings) {
        this.settings = settings;
        this.httpClient = ApacheHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.apiCallAttemptTimeout())
                .maxConnections(MAX_CONNECTIONS)
                .build();
    }

    public IotClient iot(Region region) {
        return client(AwsService.IOT, region, IotClient.class, IotClient::builder);
    }

    public DynamoDbClient dynamoDb(Region region) {
        return client(AwsService.DYNAMODB, region, DynamoDbClient.class, DynamoDbClient::builder);
    }

    public DynamoDbStreamsClient dynamoDbStreams(Region region) {
        return client(AwsService.DYNAMODB_STREAMS, region, DynamoDbStreamsClient.class, DynamoDbStreamsClient::builder);
    }

    public SqsClient sqs(Region region) {
        return client(AwsService.SQS, region, SqsClient.class, SqsClient::builder);
    }

    public S3Client s3(Region region) {
        return client(
                AwsService.S3, region, S3Client.class, () -> S3Client.builder().forcePathStyle(settings.emulated()));
    }

    /**
     * Route 53 is global; {@code callerRegion} only says on whose behalf it is called, so that an outage
     * message names it.
     */
    public Route53Client route53(Region callerRegion) {
        return client(AwsService.ROUTE53, callerRegion, Route53Client.class, Route53Client::builder);
    }

    /** The endpoint override in force for a service in a region, if any. */
    public Optional<URI> endpoint(AwsService service, Region region) {
        return settings.endpoint(service, region);
    }

    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            AwsService service, Region region, Class<C> type, Supplier<B> builder) {
        if (closed) {
            throw new IllegalStateException("AWS clients are closed");
        }
        SdkClient client = clients.computeIfAbsent(
                new Key(service, service.isGlobal() ? null : region), key -> build(service, region, builder.get()));
        return type.cast(client);
    }

    /**
     * Applies these settings (region, credentials, endpoint, timeouts, retries, the outage interceptor) to a builder
     * of another kind of client, an asynchronous one say, whose HTTP client the caller chooses and closes: every
     * client of the service is still configured here, in one place.
     */
    public <C extends SdkClient, B extends AwsClientBuilder<B, C>> B configure(
            AwsService service, Region region, B builder) {
        Optional<URI> endpoint = settings.endpoint(service, region);
        software.amazon.awssdk.regions.Region sdkRegion = service.isGlobal()
                ? software.amazon.awssdk.regions.Region.AWS_GLOBAL
                : software.amazon.awssdk.regions.Region.of(region.code());
        builder.region(sdkRegion)
                .credentialsProvider(settings.credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                        .apiCallTimeout(settings.apiCallTimeout())
                        .retryStrategy(retryStrategy(settings.retryMode(), settings.maxAttempts()))
                        .addExecutionInterceptor(new RegionUnreachableInterceptor(region, service, endpoint))
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C build(
            AwsService service, Region region, B builder) {
        return configure(service, region, builder).httpClient(httpClient).build();
    }

    /** AWS's retry conditions (throttling, 5xx, I/O) for the mode, with our attempt count; backoff has jitter. */
    private static RetryStrategy retryStrategy(RetryMode mode, int attempts) {
        return AwsRetryStrategy.forRetryMode(mode).toBuilder()
                .maxAttempts(attempts)
                .build();
    }

    @Override
    public void close() {
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        clients.values().forEach(client -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
        clients.clear();
        httpClient.close();
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("some AWS clients failed to close");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private record Key(AwsService service, Region region) {}
}
