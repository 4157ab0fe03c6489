package dev.iotdr.onboarding.security;

import java.io.IOException;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * OAuth2 resource server: {@code devices:write} creates, rotates and deletes; {@code devices:read} reads.
 * Health, metrics and the OpenAPI document are open (they are reached inside the VPC, by the load balancer
 * and the failover service). 401 and 403 are RFC 9457 problems like every other error.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    static final String READ = "SCOPE_devices:read";
    static final String WRITE = "SCOPE_devices:write";

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, failure) -> problem(
                response, 401, "unauthenticated", "Unauthenticated", "a valid bearer token is required", "Bearer");
        AccessDeniedHandler forbidden = (request, response, denied) -> problem(
                response, 403, "forbidden", "Forbidden", "the token lacks the scope this operation needs", null);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/openapi.yaml",
                                "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/v1/devices", "/v1/devices/**")
                        .hasAuthority(READ)
                        .requestMatchers(HttpMethod.POST, "/v1/devices", "/v1/devices/**")
                        .hasAuthority(WRITE)
                        .requestMatchers(HttpMethod.DELETE, "/v1/devices/**")
                        .hasAuthority(WRITE)
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden));
        return http.build();
    }

    @Bean
    @ConditionalOnProperty("iotdr.security.jwt-secret")
    JwtDecoder hmacJwtDecoder(SecurityProperties properties) {
        byte[] secret = Base64.getDecoder().decode(properties.jwtSecret().strip());
        if (secret.length < 32) {
            throw new IllegalArgumentException("iotdr.security.jwt-secret must be base64 of at least 32 bytes");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        OAuth2TokenValidator<Jwt> validator = properties.jwtIssuer() == null
                        || properties.jwtIssuer().isBlank()
                ? JwtValidators.createDefault()
                : new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(properties.jwtIssuer()));
        decoder.setJwtValidator(validator);
        return decoder;
    }

    private static void problem(
            jakarta.servlet.http.HttpServletResponse response,
            int status,
            String type,
            String title,
            String detail,
            String challenge)
            throws IOException {
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter()
                .write("{\"type\":\"https://iotdr.dev/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"" + detail + "\"}");
    }
}
