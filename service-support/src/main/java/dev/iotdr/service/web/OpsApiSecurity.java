package dev.iotdr.service.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The security of an operators' API (replication, failover): {@code ops:read} to read, {@code ops:write} to
 * act, bearer tokens checked as {@link ResourceServer} does, bodies over 16 KiB refused. Services import it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class OpsApiSecurity {

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
