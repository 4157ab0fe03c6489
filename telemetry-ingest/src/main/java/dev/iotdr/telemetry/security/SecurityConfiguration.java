package dev.iotdr.telemetry.security;

import dev.iotdr.service.web.RequestSizeLimit;
import dev.iotdr.service.web.ResourceServer;
import dev.iotdr.service.web.SecurityProperties;
import dev.iotdr.telemetry.config.TelemetryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: {@code telemetry:write} sends batches; {@code telemetry:read} reads a device's telemetry
 * and the fleet's presence. Health, metrics and the OpenAPI document are open, as in every service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {
    static final String READ = "SCOPE_telemetry:read";
    static final String WRITE = "SCOPE_telemetry:write";

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return ResourceServer.filterChain(http, requests -> requests.requestMatchers(
                        HttpMethod.POST, "/v1/telemetry/batches")
                .hasAuthority(WRITE)
                .requestMatchers(
                        HttpMethod.GET, "/v1/devices/*/telemetry", "/v1/fleet/presence", "/v1/fleet/presence/**")
                .hasAuthority(READ)
                .requestMatchers(
                        HttpMethod.HEAD, "/v1/devices/*/telemetry", "/v1/fleet/presence", "/v1/fleet/presence/**")
                .hasAuthority(READ));
    }

    @Bean
    @ConditionalOnProperty("iotdr.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(SecurityProperties properties) {
        return ResourceServer.hmacJwtDecoder(properties);
    }

    @Bean
    RequestSizeLimit requestSizeLimit(TelemetryProperties telemetry) {
        return new RequestSizeLimit(telemetry.maxBatchBytes());
    }
}
