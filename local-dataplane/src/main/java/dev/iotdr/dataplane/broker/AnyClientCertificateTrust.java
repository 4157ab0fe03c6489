package dev.iotdr.dataplane.broker;

import java.net.Socket;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS half of IoT Core's multi-account registration: a device certificate registered without a CA is
 * accepted whoever issued it (it may be self-signed), as long as it is within its validity dates; whether it is
 * registered, ACTIVE and attached is the authenticator's question, asked after the handshake. Server certificates
 * are still checked the usual way (PKIX), so clients in the same process are not weakened.
 *
 * <p>Why a security provider: HiveMQ CE builds its TLS context from configuration and takes its trust manager
 * from {@link TrustManagerFactory#getDefaultAlgorithm()}; there is no hook for a trust manager of one's own.
 * {@link #install()} registers this provider and makes its algorithm the process's default. The data plane runs
 * in a process of its own, so nothing else is affected.
 */
public final class AnyClientCertificateTrust {
    static final String ALGORITHM = "IotDrAnyRegisteredClient";

    private AnyClientCertificateTrust() {}

    /** Makes this trust the process's default trust manager algorithm. Idempotent. */
    public static synchronized void install() {
        if (Security.getProvider(TrustProvider.NAME) == null) {
            Security.insertProviderAt(new TrustProvider(), 1);
        }
        Security.setProperty("ssl.TrustManagerFactory.algorithm", ALGORITHM);
    }

    /** The provider offering {@link #ALGORITHM}. */
    static final class TrustProvider extends Provider {
        private static final long serialVersionUID = 1L;
        static final String NAME = "IotDrDataPlaneTrust";

        TrustProvider() {
            super(NAME, "1.0", "IoT Core's client trust for certificates registered without a CA");
            put("TrustManagerFactory." + ALGORITHM, Factory.class.getName());
        }
    }

    /** The factory JSSE instantiates by name; public with a public constructor for that reason. */
    public static final class Factory extends TrustManagerFactorySpi {
        private TrustManager[] managers;

        public Factory() {}

        @Override
        protected void engineInit(KeyStore store) throws KeyStoreException {
            try {
                TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX");
                pkix.init(store);
                managers = new TrustManager[] {new ClientTrust((X509ExtendedTrustManager) pkix.getTrustManagers()[0])};
            } catch (NoSuchAlgorithmException e) {
                throw new KeyStoreException("no PKIX trust manager in this JVM", e);
            }
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
            throw new InvalidAlgorithmParameterException("only a KeyStore initialises " + ALGORITHM);
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            if (managers == null) {
                throw new IllegalStateException(ALGORITHM + " used before init");
            }
            return managers.clone();
        }
    }

    /** Client chains: leaf within its dates; server chains: PKIX against the given store. */
    static final class ClientTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager servers;

        ClientTrust(X509ExtendedTrustManager servers) {
            this.servers = servers;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no client certificate");
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            servers.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            servers.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            servers.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // No issuer list in the CertificateRequest: clients send whatever certificate they hold.
            return new X509Certificate[0];
        }
    }
}
