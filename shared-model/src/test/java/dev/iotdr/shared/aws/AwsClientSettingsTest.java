package dev.iotdr.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.shared.domain.Region;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;

class AwsClientSettingsTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");

    @Test
    void aServiceEndpointWinsOverItsRegionsEndpointAndGlobalServicesUseTheGlobalOne() {
        AwsClientSettings settings = new AwsClientSettings(
                Map.of(US, URI.create("http://127.0.0.1:4001")),
                Map.of(US, Map.of(AwsService.IOT, URI.create("http://127.0.0.1:4009"))),
                Optional.of(URI.create("http://127.0.0.1:4000")),
                AnonymousCredentialsProvider.create(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                RetryMode.STANDARD,
                3);
        assertThat(settings.endpoint(AwsService.IOT, US)).contains(URI.create("http://127.0.0.1:4009"));
        assertThat(settings.endpoint(AwsService.DYNAMODB, US)).contains(URI.create("http://127.0.0.1:4001"));
        assertThat(settings.endpoint(AwsService.DYNAMODB, EU)).isEmpty();
        assertThat(settings.endpoint(AwsService.ROUTE53, EU)).contains(URI.create("http://127.0.0.1:4000"));
        assertThat(settings.emulated()).isTrue();
    }

    @Test
    void awsDefaultsOverrideNothing() {
        AwsClientSettings settings = AwsClientSettings.awsDefaults();
        assertThat(settings.emulated()).isFalse();
        assertThat(settings.endpoint(AwsService.SQS, US)).isEmpty();
        assertThat(settings.endpoint(AwsService.ROUTE53, US)).isEmpty();
    }

    @Test
    void invalidSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> AwsClientSettings.emulated(Map.of(US, URI.create("ftp://x")), URI.create("http://h")))
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> AwsClientSettings.emulated(Map.of(), URI.create("http://h"))
                        .withRetries(RetryMode.STANDARD, 0))
                .hasMessageContaining("max attempts");
        assertThatThrownBy(() -> new AwsClientSettings(
                        Map.of(),
                        Map.of(US, Map.of(AwsService.ROUTE53, URI.create("http://h"))),
                        Optional.empty(),
                        AnonymousCredentialsProvider.create(),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        RetryMode.STANDARD,
                        1))
                .hasMessageContaining("global service");
        assertThatThrownBy(() -> new AwsClientSettings(
                        Map.of(),
                        Map.of(),
                        Optional.empty(),
                        AnonymousCredentialsProvider.create(),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        RetryMode.STANDARD,
                        1))
                .hasMessageContaining("at least the attempt timeout");
    }

    @Test
    void serviceIdsRoundTrip() {
        for (AwsService service : AwsService.values()) {
            assertThat(AwsService.fromId(service.id())).isEqualTo(service);
        }
        assertThatThrownBy(() -> AwsService.fromId("ec2")).hasMessageContaining("unknown AWS service 'ec2'");
    }

    @Test
    void onlyConnectionFailuresCountAsUnreachable() {
        assertThat(RegionUnreachableInterceptor.unreachable(
                        new RuntimeException("wrapped", new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(RegionUnreachableInterceptor.unreachable(new RuntimeException(new SocketTimeoutException())))
                .isFalse();
        assertThat(RegionUnreachableInterceptor.unreachable(new IllegalStateException("throttled")))
                .isFalse();
    }
}
