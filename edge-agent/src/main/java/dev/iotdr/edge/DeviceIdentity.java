package dev.iotdr.edge;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Who a device is to the endpoint: its thing name (the MQTT client id), its certificate and private key, and the
 * root CA it trusts for the endpoint (Amazon's on AWS, the local stack's own CA locally). Read from the files a
 * device keeps ({@code certificate.pem}, {@code private.key}, {@code root-ca.pem}); the key never leaves the device.
 */
public final class DeviceIdentity {
    private final String thingName;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final X509Certificate rootCa;
    private KeyManagerFactory keyManagers;
    private TrustManagerFactory trustManagers;

    public DeviceIdentity(String thingName, X509Certificate certificate, PrivateKey key, X509Certificate rootCa) {
        this.thingName = Objects.requireNonNull(thingName, "thingName");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.key = Objects.requireNonNull(key, "key");
        this.rootCa = Objects.requireNonNull(rootCa, "rootCa");
    }

    /** Reads {@code certificate.pem}, {@code private.key} and {@code root-ca.pem} from a device's directory. */
    public static DeviceIdentity read(String thingName, Path directory) {
        try {
            return new DeviceIdentity(
                    thingName,
                    certificate(Files.readString(directory.resolve("certificate.pem"))),
                    privateKey(Files.readString(directory.resolve("private.key"))),
                    certificate(Files.readString(directory.resolve("root-ca.pem"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the identity of " + thingName + " in " + directory, e);
        }
    }

    public static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    /** A PEM private key, PKCS#1 ({@code RSA PRIVATE KEY}, as IoT hands them out) or PKCS#8. */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (read instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("not a PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable PEM private key", e);
        }
    }

    public String thingName() {
        return thingName;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The device's key and certificate, for the TLS client: one key manager offering this one key, made once. (A
     * PKCS#12 key store would do, but it protects every key entry with a 10,000-round key derivation, twice per
     * use, which a fleet reconnecting at once pays in CPU on every attempt.)
     */
    public synchronized KeyManagerFactory keyManagers() {
        if (keyManagers == null) {
            X509ExtendedKeyManager manager = new OneKey(key, new X509Certificate[] {certificate});
            keyManagers = new KeyManagerFactory(
                    new KeyManagerFactorySpi() {
                        @Override
                        protected void engineInit(KeyStore store, char[] password) {}

                        @Override
                        protected void engineInit(javax.net.ssl.ManagerFactoryParameters parameters) {}

                        @Override
                        protected KeyManager[] engineGetKeyManagers() {
                            return new KeyManager[] {manager};
                        }
                    },
                    null,
                    "device") {};
        }
        return keyManagers;
    }

    /** Trusts the root CA alone, for the endpoint's certificate (checked with the endpoint's name); made once. */
    public synchronized TrustManagerFactory trustManagers() throws GeneralSecurityException, IOException {
        if (trustManagers == null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("root", rootCa);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            trustManagers = factory;
        }
        return trustManagers;
    }

    /** A key manager holding one key: offered for any issuer the server asks for, as a device has only one. */
    private static final class OneKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "device";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        OneKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, java.security.Principal[] issuers, java.net.Socket socket) {
            return matches(keyTypes) ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(
                String[] keyTypes, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return matches(keyTypes) ? ALIAS : null;
        }

        private boolean matches(String[] keyTypes) {
            if (keyTypes == null) {
                return true;
            }
            for (String type : keyTypes) {
                if (type.equals(key.getAlgorithm()) || type.startsWith(key.getAlgorithm() + "_")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + thingName + "]"; // never the key
    }
}
