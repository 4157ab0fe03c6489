package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.domain.SealedSecret;

/**
 * Encrypts private keys for the short time they are kept (for an identical replay), bound to a context so
 * that a ciphertext copied to another request does not open.
 */
public interface PrivateKeySealer {

    SealedSecret seal(String privateKeyPem, String context);

    String unseal(SealedSecret sealed, String context);
}
