package dev.iotdr.shared.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The id AWS IoT gives a certificate: 64 hexadecimal characters. IoT derives it from the certificate itself,
 * so the same certificate registered in two regions has the same id in both.
 */
public record CertificateId(String value) {
    private static final Pattern PATTERN = Pattern.compile("[a-f0-9]{64}");

    public CertificateId {
        value = Checks.matching(
                "certificate id", value == null ? null : value.toLowerCase(Locale.ROOT), PATTERN, 64, 64);
    }

    public static CertificateId of(String value) {
        return new CertificateId(value);
    }

    /** The id AWS IoT gives the certificate with this DER encoding: its SHA-256, in lowercase hex. */
    public static CertificateId ofDer(byte[] der) {
        try {
            return new CertificateId(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
