package dev.iotdr.onboarding.security;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.service.web.RequestSizeLimit;
import dev.iotdr.service.web.ResourceServer;
import dev.iotdr.service.web.SecurityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: {@code devices:write} creates, rotates and deletes; {@code devices:read} reads.
 * Health, metrics and the OpenAPI document are open (they are reached inside the VPC, by the load balancer
 * and the failover service). 401 and 403 are RFC 9457 problems like every other error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {
    static final String READ = "SCOPE_devices:read";
    static final String WRITE = "SCOPE_devices:write";

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return ResourceServer.filterChain(
                http, requests -> requests.requestMatchers(HttpMethod.GET, "/v1/devices", "/v1/devices/**")
                        .hasAuthority(READ)
                        .requestMatchers(HttpMethod.POST, "/v1/devices", "/v1/devices/**")
                        .hasAuthority(WRITE)
                        .requestMatchers(HttpMethod.DELETE, "/v1/devices/**")
                        .hasAuthority(WRITE));
    }

    @Bean
    @ConditionalOnProperty("iotdr.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(SecurityProperties properties) {
        return ResourceServer.hmacJwtDecoder(properties);
    }

    @Bean
    RequestSizeLimit requestSizeLimit(OnboardingProperties onboarding) {
        return new RequestSizeLimit(onboarding.maxRequestBytes());
    }
}
