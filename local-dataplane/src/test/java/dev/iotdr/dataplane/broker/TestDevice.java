package dev.iotdr.dataplane.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.iotdr.dataplane.pki.LocalPki;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.shared.contract.DevicePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/** A device as the tests need it: a thing, a certificate and key, and MQTT clients that present them. */
record TestDevice(String thingName, String certificatePem, PrivateKey key, String certificateArn) {

    /** Creates a thing and an ACTIVE certificate (keys made by IoT) with the device policy, in one region. */
    static TestDevice enrol(IotClient iot) {
        String thing = "dev-" + UUID.randomUUID();
        ensurePolicy(iot);
        iot.createThing(r -> r.thingName(thing));
        var issued = iot.createKeysAndCertificate(r -> r.setAsActive(true));
        iot.attachPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).target(issued.certificateArn()));
        iot.attachThingPrincipal(r -> r.thingName(thing).principal(issued.certificateArn()));
        return new TestDevice(
                thing,
                issued.certificatePem(),
                DeviceIdentity.privateKey(issued.keyPair().privateKey()),
                issued.certificateArn());
    }

    /** Registers this device's certificate in another region as replication does (without a CA), attached. */
    TestDevice registerIn(IotClient other) {
        ensurePolicy(other);
        other.createThing(r -> r.thingName(thingName));
        String arn = other.registerCertificateWithoutCA(
                        r -> r.certificatePem(certificatePem).status("ACTIVE"))
                .certificateArn();
        other.attachPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).target(arn));
        other.attachThingPrincipal(r -> r.thingName(thingName).principal(arn));
        return new TestDevice(thingName, certificatePem, key, arn);
    }

    /** A device whose certificate is self-signed and registered nowhere. */
    static TestDevice selfSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=self-signed");
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                java.math.BigInteger.ONE,
                                Date.from(Instant.now().minus(Duration.ofHours(1))),
                                Date.from(Instant.now().plus(Duration.ofDays(1))),
                                name,
                                keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new TestDevice("dev-" + UUID.randomUUID(), LocalPki.pem(certificate), keys.getPrivate(), "");
    }

    String certificateId() throws Exception {
        return IotCoreRules.certificateId(LocalPki.parseCertificate(certificatePem));
    }

    /** An MQTT 5 client that connects to {@code address} with {@code sni} as the server name (null: no SNI). */
    Mqtt5BlockingClient mqtt5(String clientId, InetSocketAddress address, String sni, LocalPki pki) throws Exception {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverAddress(server(address, sni))
                .sslConfig()
                .keyManagerFactory(keyManagers())
                .trustManagerFactory(trust(pki))
                .hostnameVerifier((host, session) -> true) // SNI is what these tests vary; the name is checked below
                .applySslConfig()
                .buildBlocking();
    }

    Mqtt3BlockingClient mqtt3(String clientId, InetSocketAddress address, String sni, LocalPki pki) throws Exception {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverAddress(server(address, sni))
                .sslConfig()
                .keyManagerFactory(keyManagers())
                .trustManagerFactory(trust(pki))
                .applySslConfig()
                .buildBlocking();
    }

    private static InetSocketAddress server(InetSocketAddress address, String sni) throws Exception {
        // An address that carries the custom name: the client sends it as SNI and connects to the address.
        return sni == null
                ? address
                : new InetSocketAddress(
                        InetAddress.getByAddress(sni, address.getAddress().getAddress()), address.getPort());
    }

    private KeyManagerFactory keyManagers() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "device", key, "device".toCharArray(), new X509Certificate[] {LocalPki.parseCertificate(certificatePem)
                });
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, "device".toCharArray());
        return factory;
    }

    static TrustManagerFactory trust(LocalPki pki) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", LocalPki.parseCertificate(pki.rootCaPem()));
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory;
    }

    private static void ensurePolicy(IotClient iot) {
        try {
            iot.createPolicy(r -> r.policyName(DevicePolicy.DEFAULT_NAME).policyDocument(DevicePolicy.document()));
        } catch (ResourceAlreadyExistsException exists) {
            // created by an earlier test
        }
    }
}
