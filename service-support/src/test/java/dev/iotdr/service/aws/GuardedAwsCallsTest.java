package dev.iotdr.service.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionUnavailableException;
import dev.iotdr.shared.domain.Region;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class GuardedAwsCallsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GuardedAwsCalls calls = new GuardedAwsCalls(
            new AwsCallSettings(
                    Map.of(),
                    Duration.ofSeconds(1),
                    4,
                    Duration.ofMillis(1),
                    Duration.ofMillis(2),
                    Duration.ofSeconds(5)),
            meters);

    @Test
    void throttlingIsRetriedUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        String result = calls.call(AwsApi.IOT_ATTACH_POLICY, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw serviceError(400, "ThrottlingException");
            }
            return "attached";
        });
        assertThat(result).isEqualTo("attached");
        assertThat(attempts).hasValue(3);
        assertThat(meters.get("iotdr.aws.calls")
                        .tag("api", "AttachPolicy")
                        .tag("outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void persistentServerErrorsBecomeUnavailableAfterAllAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> calls.call(AwsApi.DYNAMODB_PUT_ITEM, () -> {
                    attempts.incrementAndGet();
                    throw serviceError(500, "InternalServerError");
                }))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, unavailable -> {
                    assertThat(unavailable.dependency()).isEqualTo("dynamodb:PutItem");
                    assertThat(unavailable.retryAfter()).isPositive();
                })
                .hasMessageContaining("after 4 attempts");
        assertThat(attempts).hasValue(4);
        assertThat(meters.get("iotdr.aws.calls")
                        .tag("outcome", "server_error")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aClientMistakeIsNotRetriedAndPassesThroughForTheAdapter() {
        AtomicInteger attempts = new AtomicInteger();
        AwsServiceException invalid = serviceError(400, "InvalidRequestException");
        assertThatThrownBy(() -> calls.call(AwsApi.IOT_CREATE_CERTIFICATE_FROM_CSR, () -> {
                    attempts.incrementAndGet();
                    throw invalid;
                }))
                .isSameAs(invalid);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anUnreachableRegionIsNotRetriedAndSaysWhenToComeBack() {
        AtomicInteger attempts = new AtomicInteger();
        RegionUnavailableException down = RegionUnavailableException.of(
                Region.of("us-east-1"),
                AwsService.IOT,
                Optional.of(URI.create("http://127.0.0.1:1")),
                new ConnectException("Connection refused"));
        assertThatThrownBy(() -> calls.call(AwsApi.IOT_CREATE_THING, () -> {
                    attempts.incrementAndGet();
                    throw down;
                }))
                .isInstanceOfSatisfying(
                        DependencyUnavailableException.class,
                        unavailable -> assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(5)))
                .hasMessageContaining("iot in us-east-1 is unreachable");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aServiceThatKeepsFailingIsNotCalledWhileItsCircuitIsOpen() {
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            try {
                calls.call(AwsApi.DYNAMODB_GET_ITEM, () -> {
                    attempts.incrementAndGet();
                    throw SdkClientException.create("read timed out");
                });
            } catch (DependencyUnavailableException expected) {
                // counted by the breaker
            }
        }
        int before = attempts.get();
        assertThatThrownBy(() -> calls.call(AwsApi.DYNAMODB_GET_ITEM, () -> {
                    attempts.incrementAndGet();
                    return "never";
                }))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("calls are paused");
        assertThat(attempts).hasValue(before);
    }

    @Test
    void quotasComeFromTheDefaultsUnlessConfigured() {
        AwsCallSettings settings = new AwsCallSettings(
                Map.of("AttachPolicy", 7.5),
                Duration.ofSeconds(1),
                3,
                Duration.ofMillis(1),
                Duration.ofMillis(2),
                Duration.ofSeconds(1));
        assertThat(settings.quotaPerSecond(AwsApi.IOT_ATTACH_POLICY)).isEqualTo(7.5);
        assertThat(settings.quotaPerSecond(AwsApi.IOT_CREATE_THING)).isEqualTo(100);
        assertThat(settings.quotaPerSecond(AwsApi.DYNAMODB_PUT_ITEM)).isZero();
        assertThatThrownBy(() -> new AwsCallSettings(
                        Map.of("CreateThing", -1.0),
                        Duration.ofSeconds(1),
                        3,
                        Duration.ofMillis(1),
                        Duration.ofMillis(2),
                        Duration.ofSeconds(1)))
                .hasMessageContaining("must be positive");
    }

    private static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code)
                        .build())
                .message(code)
                .build();
    }
}
