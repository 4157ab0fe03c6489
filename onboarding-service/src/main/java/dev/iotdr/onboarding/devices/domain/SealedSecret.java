package dev.iotdr.onboarding.devices.domain;

/**
 * A secret (a device's private key) encrypted at rest: the id of the key that sealed it and the opaque
 * ciphertext. Only the sealer that owns the key can open it.
 */
public record SealedSecret(String keyId, String ciphertext) {
    public SealedSecret {
        if (keyId == null || keyId.isBlank() || ciphertext == null || ciphertext.isBlank()) {
            throw new IllegalArgumentException("a sealed secret needs a key id and a ciphertext");
        }
    }

    @Override
    public String toString() {
        return "SealedSecret[keyId=" + keyId + ", ciphertext=<" + ciphertext.length() + " chars>]";
    }
}
