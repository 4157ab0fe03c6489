package dev.iotdr.dataplane.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.GetPolicyRequest;

/** The data plane's view of its region's registry against the real emulator. */
@ExtendWith(LocalCloudExtension.class)
class RegistryViewIntegrationTest {

    /**
     * Counts GetPolicy requests and holds each for 300 ms, so that lookups made at once all need the policy while
     * its first read is still in flight (the client and the emulator are real; only the count and the pause added).
     */
    private static final class SlowPolicyReads implements ExecutionInterceptor {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetPolicyRequest) {
                reads.incrementAndGet();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void lookupsMadeAtOnceForCertificatesSharingAPolicyReadThatPolicyOnce(
            LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        List<TestDevice> devices = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            devices.add(TestDevice.enrol(clients.iot(region)));
        }
        SlowPolicyReads policyReads = new SlowPolicyReads();
        ExecutorService lookups = Executors.newFixedThreadPool(8);
        // a clock that stands still: every read stays within the bound, so only reads made at once could repeat
        Clock still = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        try (IotClient iot = IotClient.builder()
                .region(software.amazon.awssdk.regions.Region.of(region.code()))
                .endpointOverride(clients.endpoint(AwsService.IOT, region).orElseThrow())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(policyReads))
                .build()) {
            RegistryView view = new RegistryView(iot, Duration.ofSeconds(1), 100, lookups, still);

            List<CompletableFuture<RegistryView.Principal>> principals = new ArrayList<>();
            for (TestDevice device : devices) {
                principals.add(view.principal(certificateId(device)));
            }

            for (CompletableFuture<RegistryView.Principal> principal : principals) {
                assertThat(principal.join().active()).isTrue();
                assertThat(principal.join().policyDocuments())
                        .singleElement()
                        .asString()
                        .contains("iot:Connect");
            }
            assertThat(policyReads.reads.get())
                    .as("GetPolicy requests for 8 lookups made at once")
                    .isEqualTo(1);
        } finally {
            lookups.shutdownNow();
        }
    }

    @Test
    void aReadThatWouldAnswerAfterTheDeviceGaveUpStopsBeforeItsNextRequest(
            LocalCloud cloud, RegionalAwsClients clients) {
        Region region = cloud.regions().get(0);
        TestDevice device = TestDevice.enrol(clients.iot(region));
        dev.iotdr.dataplane.support.MovableClock clock = new dev.iotdr.dataplane.support.MovableClock();
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the certificate's description takes 11 s (the clock moves while it is asked): the device waits 10 s in all
        ExecutionInterceptor slowDescribe = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request().getClass().getSimpleName());
                if (context.request() instanceof software.amazon.awssdk.services.iot.model.DescribeCertificateRequest) {
                    clock.advance(Duration.ofSeconds(11));
                }
            }
        };
        ExecutorService lookups = Executors.newSingleThreadExecutor();
        try (IotClient iot = IotClient.builder()
                .region(software.amazon.awssdk.regions.Region.of(region.code()))
                .endpointOverride(clients.endpoint(AwsService.IOT, region).orElseThrow())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(slowDescribe))
                .build()) {
            RegistryView view = new RegistryView(iot, Duration.ofSeconds(1), 100, lookups, clock);

            CompletableFuture<RegistryView.Principal> principal = view.principal(certificateId(device));

            assertThat(principal)
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
            assertThat(requests).containsExactly("DescribeCertificateRequest");
        } finally {
            lookups.shutdownNow();
        }
    }

    private static String certificateId(TestDevice device) {
        try {
            return device.certificateId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
