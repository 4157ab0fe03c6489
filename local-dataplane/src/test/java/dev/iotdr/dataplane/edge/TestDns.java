package dev.iotdr.dataplane.edge;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A DNS server for the tests, on dnsjava's messages: answers A queries for the names it was told, with the TTL it
 * was told, over UDP on a loopback port; NXDOMAIN for anything else. Counts the queries per name.
 */
final class TestDns implements AutoCloseable {
    private record Entry(InetAddress address, long ttl) {}

    private final DatagramSocket socket;
    private final Map<Name, Entry> names = new ConcurrentHashMap<>();
    private final Map<Name, Integer> queries = new ConcurrentHashMap<>();
    private final Thread loop;

    TestDns() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = Thread.ofPlatform().daemon().name("test-dns").start(this::serve);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    void point(String name, String address, long ttlSeconds) throws IOException {
        names.put(Name.fromString(name + "."), new Entry(InetAddress.getByName(address), ttlSeconds));
    }

    int queries(String name) throws IOException {
        return queries.getOrDefault(Name.fromString(name + "."), 0);
    }

    private void serve() {
        byte[] in = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(in, in.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Message answer = new Message(query.getHeader().getID());
                answer.getHeader().setFlag(Flags.QR);
                answer.getHeader().setFlag(Flags.AA);
                answer.addRecord(question, Section.QUESTION);
                queries.merge(question.getName(), 1, Integer::sum);
                Entry entry = names.get(question.getName());
                if (entry == null) {
                    answer.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    answer.addRecord(
                            new ARecord(question.getName(), DClass.IN, entry.ttl(), entry.address()), Section.ANSWER);
                }
                byte[] out = answer.toWire();
                socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a malformed query: next one
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        loop.join(2000);
    }
}
