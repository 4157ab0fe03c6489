package dev.iotdr.dataplane.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One probe of a health check's endpoint, judged as a Route 53 checker judges it: TCP checks need a
 * connection within 10 s; HTTP and HTTPS checks a connection within 4 s and then a 2xx or 3xx status within
 * 2 s (and, when matching a string, the string in the first 5,120 bytes of the body within 2 s more). HTTPS
 * does not validate the certificate, as Route 53 does not.
 */
final class EndpointProbe {
    static final Duration TCP_CONNECT = Duration.ofSeconds(10);
    static final Duration HTTP_CONNECT = Duration.ofSeconds(4);
    static final Duration HTTP_STATUS = Duration.ofSeconds(2);
    static final Duration HTTP_BODY = Duration.ofSeconds(2);
    static final int SEARCHED_BYTES = 5120;
    private static final int MAX_STATUS_LINE = 1024;

    private final Function<String, Optional<InetAddress>> resolver;

    /** @param resolver the address a health check's domain name has now (this DNS's own answer) */
    EndpointProbe(Function<String, Optional<InetAddress>> resolver) {
        this.resolver = resolver;
    }

    /**
     * A context per probe: every probe is a full handshake, as a checker's is; a shared context would resume
     * the last session and skip what a fresh client does (SNI included).
     */
    private static SSLContext trustingEverything() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS in this JVM", e);
        }
    }

    /** Whether the endpoint passes this one probe; never throws for what the endpoint does. */
    boolean probe(HealthCheckSpec check) {
        if (!check.type().probes()) {
            return true;
        }
        Optional<InetAddress> address = address(check);
        if (address.isEmpty()) {
            return false;
        }
        Duration connectWithin = check.type().http() ? HTTP_CONNECT : TCP_CONNECT;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.get(), check.port()), (int) connectWithin.toMillis());
            if (!check.type().http()) {
                return true;
            }
            return http(check, socket);
        } catch (IOException | RuntimeException failed) {
            return false;
        }
    }

    private Optional<InetAddress> address(HealthCheckSpec check) {
        if (check.ipAddress().isPresent()) {
            try {
                return Optional.of(InetAddress.getByName(check.ipAddress().get())); // a literal: no lookup
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return resolver.apply(check.fqdn().orElseThrow());
    }

    private boolean http(HealthCheckSpec check, Socket plain) throws IOException {
        long statusDeadline = System.nanoTime() + HTTP_STATUS.toNanos();
        Socket socket = plain;
        if (check.type().tls()) {
            SSLSocket tls = (SSLSocket) trustingEverything()
                    .getSocketFactory()
                    .createSocket(plain, plain.getInetAddress().getHostAddress(), check.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            // SNI only when the check asks for it; the host given above is an address, which sends none
            parameters.setServerNames(
                    check.enableSni() && check.fqdn().isPresent()
                            ? List.of(new SNIHostName(check.fqdn().get()))
                            : List.of());
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(remainingMillis(statusDeadline));
            tls.startHandshake();
            socket = tls;
        }
        OutputStream out = socket.getOutputStream();
        String hostHeader = check.host() + (defaultPort(check) ? "" : ":" + check.port());
        out.write(("GET " + check.resourcePath() + " HTTP/1.1\r\n"
                        + "Host: " + hostHeader + "\r\n"
                        + "User-Agent: Amazon-Route53-Health-Check-Service (local DNS of iotdr)\r\n"
                        + "Accept: */*\r\n"
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = readLine(socket, in, statusDeadline);
        if (!statusLine.startsWith("HTTP/") || statusLine.length() < 12) {
            return false;
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException notAStatus) {
            return false;
        }
        if (status < 200 || status >= 400) {
            return false;
        }
        if (!check.type().matchesString()) {
            return true;
        }
        return bodyHolds(socket, in, check.searchString().orElseThrow(), System.nanoTime() + HTTP_BODY.toNanos());
    }

    private static boolean defaultPort(HealthCheckSpec check) {
        return check.port() == (check.type().tls() ? 443 : 80);
    }

    /** Skips the headers, then searches the first {@link #SEARCHED_BYTES} of the body. */
    private static boolean bodyHolds(Socket socket, InputStream in, String wanted, long deadline) throws IOException {
        while (!readLine(socket, in, deadline).isEmpty()) {
            // headers; the body starts after the empty line
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        byte[] wantedBytes = wanted.getBytes(StandardCharsets.UTF_8);
        while (body.size() < SEARCHED_BYTES) {
            socket.setSoTimeout(remainingMillis(deadline));
            int read;
            try {
                read = in.read(chunk, 0, Math.min(chunk.length, SEARCHED_BYTES - body.size()));
            } catch (SocketTimeoutException late) {
                break;
            }
            if (read < 0) {
                break;
            }
            body.write(chunk, 0, read);
            if (contains(body.toByteArray(), wantedBytes)) {
                return true;
            }
        }
        return contains(body.toByteArray(), wantedBytes);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int at = 0; at + needle.length <= haystack.length; at++) {
            for (int i = 0; i < needle.length; i++) {
                if (haystack[at + i] != needle[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** One CRLF-terminated line, read by the deadline (a timeout is an exception: the probe fails). */
    private static String readLine(Socket socket, InputStream in, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_STATUS_LINE) {
            socket.setSoTimeout(remainingMillis(deadline));
            int next = in.read();
            if (next < 0 || next == '\n') {
                break;
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("the health check's time is up");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Route 53's HTTPS checks accept any certificate: an expired or self-signed one does not fail them. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
