package dev.iotdr.replication.registry.adapter.in.web;

import dev.iotdr.service.web.RequestSizeLimit;
import dev.iotdr.service.web.ResourceServer;
import dev.iotdr.service.web.SecurityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/** Operators' API: {@code ops:read} to read status and readiness, {@code ops:write} to audit, redrive, re-sync. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return ResourceServer.opsFilterChain(http);
    }

    @Bean
    @ConditionalOnProperty("iotdr.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(SecurityProperties properties) {
        return ResourceServer.hmacJwtDecoder(properties);
    }

    @Bean
    RequestSizeLimit requestSizeLimit() {
        return new RequestSizeLimit(16_384);
    }
}
