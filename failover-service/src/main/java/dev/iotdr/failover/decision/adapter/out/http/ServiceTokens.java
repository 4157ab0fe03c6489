package dev.iotdr.failover.decision.adapter.out.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This service's own bearer token for calling the replication services (ops scopes), signed with the
 * local stack's HS256 key. In AWS, service-to-service calls would use the identity provider's client
 * credentials instead; not built yet.
 */
final class ServiceTokens {
    private final byte[] secret;
    private final String issuer;
    private volatile String token;
    private volatile long expiresAt;

    ServiceTokens(String base64Secret, String issuer) {
        this.secret = Base64.getDecoder().decode(base64Secret.strip());
        this.issuer = issuer;
    }

    synchronized String get() {
        long now = Instant.now().getEpochSecond();
        if (token == null || now > expiresAt - 60) {
            expiresAt = now + 900;
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String claims = url.encodeToString(("{\"sub\":\"failover-service\",\"iss\":\"" + issuer
                            + "\",\"scope\":\"ops:read ops:write\",\"iat\":" + now + ",\"exp\":" + expiresAt + "}")
                    .getBytes(StandardCharsets.UTF_8));
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                token = header + "." + claims + "."
                        + url.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return token;
    }
}
