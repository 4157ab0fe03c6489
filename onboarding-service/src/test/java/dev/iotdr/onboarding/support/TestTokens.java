package dev.iotdr.onboarding.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Mints HS256 bearer tokens the way {@code ./drctl token} does, for tests. */
public final class TestTokens {
    /** Base64 of 32 bytes; the test configuration's {@code iotdr.security.jwt-secret}. */
    public static final String SECRET =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private TestTokens() {}

    public static String token(String scopes) {
        return sign(scopes, SECRET, Instant.now().plusSeconds(600));
    }

    public static String sign(String scopes, String base64Secret, Instant expiry) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.HS256),
                    new JWTClaimsSet.Builder()
                            .subject("onboarding-app")
                            .issuer("iotdr-local")
                            .claim("scope", scopes)
                            .issueTime(new Date())
                            .expirationTime(Date.from(expiry))
                            .build());
            jwt.sign(new MACSigner(Base64.getDecoder().decode(base64Secret)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
