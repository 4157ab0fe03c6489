package dev.iotdr.dataplane.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server's sockets: one UDP and one TCP listener on the same address and port. UDP answers each
 * datagram on the receiving thread (answers come from memory); TCP serves each connection on a virtual thread,
 * messages framed by a 2-byte length (RFC 1035 4.2.2), several queries per connection.
 */
final class DnsListeners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsListeners.class);
    /** How long an idle TCP connection stays open (RFC 7766 suggests seconds, not minutes). */
    private static final int TCP_IDLE_MILLIS = 10_000;
    /** TCP connections served at once; more are closed at once, so clients cannot exhaust the server. */
    private static final int MAX_TCP_CONNECTIONS = 64;

    private static final int BIND_ATTEMPTS = 20;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final DnsAnswers answers;
    private final Semaphore connections = new Semaphore(MAX_TCP_CONNECTIONS);
    private final Thread udpLoop;
    private final Thread tcpLoop;
    private volatile boolean closed;

    private DnsListeners(DatagramSocket udp, ServerSocket tcp, DnsAnswers answers) {
        this.udp = udp;
        this.tcp = tcp;
        this.answers = answers;
        this.udpLoop = Thread.ofPlatform()
                .daemon()
                .name("dns-udp-" + udp.getLocalPort())
                .unstarted(this::serveUdp);
        this.tcpLoop = Thread.ofPlatform()
                .daemon()
                .name("dns-tcp-" + udp.getLocalPort())
                .unstarted(this::serveTcp);
    }

    /** Binds both sockets (port 0: a free port, the same for UDP and TCP) and starts serving. */
    static DnsListeners start(InetAddress address, int port, DnsAnswers answers) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < (port == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(address, udp.getLocalPort()), 128);
            } catch (BindException taken) {
                // the free UDP port is taken for TCP: try another pair
                tcp.close();
                udp.close();
                last = taken;
                continue;
            }
            DnsListeners listeners = new DnsListeners(udp, tcp, answers);
            listeners.udpLoop.start();
            listeners.tcpLoop.start();
            return listeners;
        }
        throw new BindException("no port free for both UDP and TCP on " + address + ": " + last.getMessage());
    }

    int port() {
        return udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("UDP receive failed; going on", e);
                }
                continue;
            }
            try {
                byte[] query = Arrays.copyOfRange(
                        packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
                Optional<byte[]> answer = answers.respond(query, true);
                if (answer.isPresent()) {
                    udp.send(new DatagramPacket(answer.get(), answer.get().length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("answering a UDP query from {} failed; going on", packet.getSocketAddress(), e);
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            Socket connection;
            try {
                connection = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("TCP accept failed; going on", e);
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                close(connection);
                continue;
            }
            try {
                Thread.ofVirtual().name("dns-tcp-connection").start(() -> {
                    try {
                        serve(connection);
                    } finally {
                        connections.release();
                    }
                });
            } catch (RuntimeException e) {
                connections.release();
                close(connection);
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException done) {
                    return;
                }
                byte[] query = new byte[length];
                in.readFully(query);
                Optional<byte[]> answer = answers.respond(query, false);
                if (answer.isEmpty()) {
                    return; // nothing sensible to say: the client gets a closed connection
                }
                out.writeShort(answer.get().length);
                out.write(answer.get());
                out.flush();
            }
        } catch (SocketException | EOFException | SocketTimeoutException gone) {
            // the client went away or stalled mid-message
        } catch (IOException | RuntimeException e) {
            log.warn("a TCP connection failed", e);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection we refuse; nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            log.warn("closing the TCP listener failed", e);
        }
    }
}
