package dev.iotdr.service.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are checked ({@code iotdr.security.*}). With {@code jwtSecret} set, tokens are HS256
 * JWTs signed with it (the local stack; {@code ./drctl token} mints them). Without it, Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} applies (Cognito or
 * another identity provider in AWS).
 *
 * @param jwtSecret base64 of at least 32 random bytes
 * @param jwtIssuer the issuer tokens must name; unset means any
 */
@ConfigurationProperties("iotdr.security")
public record SecurityProperties(String jwtSecret, String jwtIssuer) {
    @Override
    public String toString() {
        return "SecurityProperties[jwtSecret=<redacted>, jwtIssuer=" + jwtIssuer + "]";
    }
}
