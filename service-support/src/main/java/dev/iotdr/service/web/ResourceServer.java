package dev.iotdr.service.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
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
 * The parts of an OAuth2 resource server every service shares: the HS256 decoder of the local stack
 * (tokens from {@code ./drctl token}) and 401/403 answers as RFC 9457 problems. Each service states its own
 * scopes in its filter chain.
 */
public final class ResourceServer {
    private ResourceServer() {}

    /** Paths every service leaves open: health (load balancer, failover probes), metrics, its OpenAPI document. */
    private static final String[] OPEN = {
        "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/openapi.yaml", "/error"
    };

    /**
     * A stateless resource-server filter chain: the open paths, then the service's own scope rules, then
     * everything else authenticated; 401 and 403 as problems.
     */
    public static SecurityFilterChain filterChain(
            HttpSecurity http,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> scopes)
            throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(OPEN).permitAll();
                    scopes.customize(requests);
                    requests.anyRequest().authenticated();
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(unauthenticated())
                        .accessDeniedHandler(forbidden()))
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(unauthenticated()).accessDeniedHandler(forbidden()));
        return http.build();
    }

    /** The operators' APIs: {@code ops:read} to read, {@code ops:write} to act. */
    public static SecurityFilterChain opsFilterChain(HttpSecurity http) throws Exception {
        return filterChain(http, requests -> requests.requestMatchers(HttpMethod.GET, "/v1/**")
                .hasAuthority("SCOPE_ops:read")
                .requestMatchers(HttpMethod.POST, "/v1/**")
                .hasAuthority("SCOPE_ops:write")
                .requestMatchers(HttpMethod.DELETE, "/v1/**")
                .hasAuthority("SCOPE_ops:write"));
    }

    /** Tokens signed HS256 with {@code iotdr.security.jwt-secret}, checked for expiry and (if set) issuer. */
    public static JwtDecoder hmacJwtDecoder(SecurityProperties properties) {
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

    public static AuthenticationEntryPoint unauthenticated() {
        return (request, response, failure) -> problem(
                response, 401, "unauthenticated", "Unauthenticated", "a valid bearer token is required", "Bearer");
    }

    public static AccessDeniedHandler forbidden() {
        return (request, response, denied) -> problem(
                response, 403, "forbidden", "Forbidden", "the token lacks the scope this operation needs", null);
    }

    private static void problem(
            HttpServletResponse response, int status, String type, String title, String detail, String challenge)
            throws IOException {
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter()
                .write("{\"type\":\"" + ProblemAnswers.TYPES + type + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"" + detail + "\"}");
    }
}
