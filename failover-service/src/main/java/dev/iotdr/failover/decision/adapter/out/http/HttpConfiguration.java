package dev.iotdr.failover.decision.adapter.out.http;

import dev.iotdr.failover.config.FailoverProperties;
import dev.iotdr.failover.decision.application.ReplicationLag;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.service.web.SecurityProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.retry.RetryMode;

/** Wires the probes (with their own short-timeout, no-retry AWS clients) and the replication reader. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

    @Bean(destroyMethod = "close")
    RegionalAwsClients probeClients(RegionProperties region, FailoverProperties failover) {
        Duration timeout = failover.probeTimeout();
        return new RegionalAwsClients(region.aws()
                .toClientSettings()
                .withTimeouts(timeout, timeout, timeout)
                .withRetries(RetryMode.STANDARD, 1));
    }

    @Bean
    HttpRegionProbe httpRegionProbe(
            RegionProperties region,
            FailoverProperties failover,
            @org.springframework.beans.factory.annotation.Qualifier("probeClients") RegionalAwsClients probeClients) {
        return new HttpRegionProbe(urls(failover, true), probeClients, failover.deviceTable(), failover.probeTimeout());
    }

    @Bean
    ReplicationLag replicationLag(FailoverProperties failover, SecurityProperties security) {
        ServiceTokens tokens = security.jwtSecret() == null
                ? null
                : new ServiceTokens(
                        security.jwtSecret(), security.jwtIssuer() == null ? "iotdr-local" : security.jwtIssuer());
        return new HttpReplicationLag(
                urls(failover, false),
                () -> tokens == null ? "" : tokens.get(),
                failover.probeTimeout().multipliedBy(2),
                failover.auditWithin());
    }

    private static Map<Region, URI> urls(FailoverProperties failover, boolean onboarding) {
        Map<Region, URI> urls = new HashMap<>();
        failover.regions().forEach((code, endpoints) -> {
            URI url = onboarding ? endpoints.onboardingUrl() : endpoints.replicationUrl();
            if (url != null) {
                urls.put(Region.of(code), url);
            }
        });
        return urls;
    }
}
