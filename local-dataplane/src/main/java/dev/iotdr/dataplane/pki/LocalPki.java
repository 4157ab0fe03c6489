package dev.iotdr.dataplane.pki;

import dev.iotdr.shared.domain.FleetDomain;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The local stack's PKI in one directory ({@code .drctl/pki}): a root CA created once and kept (devices trust it
 * as they trust Amazon's root CA on AWS), and a server certificate for {@code iot.<domain>} and
 * {@code api.<domain>} that it issues, re-issued when the domain changes or it nears expiry. Nothing in the
 * directory is a private key in plaintext: the CA's key is encrypted PKCS#8 and the server's key sits in a
 * PKCS#12 keystore, both under a password the caller keeps elsewhere (the local stack's secrets).
 *
 * <p>Files: {@code root-ca.pem} (public, what onboarding returns as {@code rootCaPem}), {@code root-ca.key}
 * (encrypted), {@code server.p12} (key and chain, alias {@code server}), {@code server.pem} (the chain, public).
 */
public final class LocalPki {
    public static final String ROOT_CA = "root-ca.pem";
    public static final String SERVER_KEYSTORE = "server.p12";
    public static final String SERVER_ALIAS = "server";

    private static final String ROOT_CA_KEY = "root-ca.key";
    private static final String SERVER_CHAIN = "server.pem";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** AES-CBC with PKCS#7 padding for the encrypted key, which the JDK's own providers name differently. */
    private static final java.security.Provider BOUNCY_CASTLE =
            new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final Path directory;
    private final char[] password;

    /** @param password protects the CA's key and the server keystore; never written next to them */
    public LocalPki(Path directory, char[] password) {
        if (password.length < 16) {
            throw new IllegalArgumentException("the PKI password must have at least 16 characters");
        }
        this.directory = directory;
        this.password = password.clone();
    }

    /** The password the keystore and the CA's key are under (a copy). */
    public char[] password() {
        return password.clone();
    }

    public Path directory() {
        return directory;
    }

    public Path rootCaFile() {
        return directory.resolve(ROOT_CA);
    }

    public Path serverKeystore() {
        return directory.resolve(SERVER_KEYSTORE);
    }

    /**
     * Creates the root CA if there is none, and a server certificate for the domain if there is none, it names
     * another domain, another CA issued it, or it expires within 30 days. Idempotent; every region's data plane
     * calls it at start, so it holds a file lock on the directory meanwhile.
     */
    public synchronized void ensure(FleetDomain domain) {
        try {
            Files.createDirectories(directory);
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
                            directory.resolve(".lock"),
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE);
                    java.nio.channels.FileLock held = lock.lock()) {
                ensureLocked(domain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local PKI in " + directory, e);
        }
    }

    private void ensureLocked(FleetDomain domain) {
        try {
            Authority ca = Files.exists(rootCaFile()) && Files.exists(directory.resolve(ROOT_CA_KEY))
                    ? readAuthority()
                    : createAuthority();
            if (!serverCertificateFits(domain, ca.certificate())) {
                issueServerCertificate(domain, ca);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local PKI in " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new IllegalStateException("cannot prepare the local PKI in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The root CA certificate, PEM. */
    public String rootCaPem() {
        try {
            return Files.readString(rootCaFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + rootCaFile(), e);
        }
    }

    /** The server keystore, opened with the password. */
    public KeyStore openServerKeystore() {
        try (var in = Files.newInputStream(serverKeystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + serverKeystore(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open " + serverKeystore() + ": " + e.getMessage(), e);
        }
    }

    private record Authority(X509Certificate certificate, PrivateKey key) {}

    private Authority createAuthority() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = rsa();
        X500Name name = new X500Name("CN=iot-dr local root CA,O=iot-dr local stack");
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        name,
                        serial(),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(CA_VALIDITY)),
                        name,
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(
                        Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = sign(builder, keys.getPrivate());
        writePrivate(directory.resolve(ROOT_CA_KEY), encryptedPem(keys.getPrivate()));
        writePublic(rootCaFile(), pem(certificate));
        return new Authority(certificate, keys.getPrivate());
    }

    private Authority readAuthority()
            throws IOException, GeneralSecurityException, OperatorCreationException, PKCSException {
        X509Certificate certificate = parseCertificate(Files.readString(rootCaFile()));
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(directory.resolve(ROOT_CA_KEY))))) {
            Object read = parser.readObject();
            if (!(read instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
                throw new IllegalStateException(directory.resolve(ROOT_CA_KEY) + " is not an encrypted PKCS#8 key");
            }
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BOUNCY_CASTLE)
                    .build(password);
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
            return new Authority(certificate, key);
        }
    }

    private boolean serverCertificateFits(FleetDomain domain, X509Certificate ca) {
        if (!Files.exists(serverKeystore())) {
            return false;
        }
        try {
            KeyStore store = openServerKeystore();
            Certificate[] chain = store.getCertificateChain(SERVER_ALIAS);
            if (chain == null || chain.length < 2 || !(chain[0] instanceof X509Certificate server)) {
                return false;
            }
            server.verify(ca.getPublicKey());
            if (server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
                return false;
            }
            var names = server.getSubjectAlternativeNames();
            return names != null
                    && names.stream()
                            .map(entry -> String.valueOf(entry.get(1)))
                            .toList()
                            .containsAll(List.of(domain.iotEndpoint(), domain.apiEndpoint()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // unreadable, another CA's, or another password's: issue a new one
        }
    }

    private void issueServerCertificate(FleetDomain domain, Authority ca)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        ca.certificate(),
                        serial(),
                        Date.from(now.minus(Duration.ofMinutes(5))),
                        Date.from(now.plus(SERVER_VALIDITY)),
                        new X500Name("CN=" + domain.iotEndpoint()),
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, domain.iotEndpoint()),
                    new GeneralName(GeneralName.dNSName, domain.apiEndpoint())
                }))
                .addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        extensions.createAuthorityKeyIdentifier(ca.certificate()));
        X509Certificate certificate = sign(builder, ca.key());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(SERVER_ALIAS, keys.getPrivate(), password, new Certificate[] {certificate, ca.certificate()});
        Path temporary = directory.resolve(SERVER_KEYSTORE + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            store.store(out, password);
        }
        Files.move(temporary, serverKeystore(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writePublic(directory.resolve(SERVER_CHAIN), pem(certificate) + pem(ca.certificate()));
    }

    /** Parses one PEM certificate. */
    public static X509Certificate parseCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** PEM text of a certificate. */
    public static String pem(X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private String encryptedPem(PrivateKey key) throws OperatorCreationException, IOException {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(
                        org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                .setProvider(BOUNCY_CASTLE)
                .setPassword(password)
                .setRandom(new SecureRandom())
                .build();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, encryptor));
        }
        return text.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(120, new SecureRandom());
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePublic(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
