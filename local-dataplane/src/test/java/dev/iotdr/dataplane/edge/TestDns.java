package dev.iotdr.dataplane.edge;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
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
    private record Entry(List<InetAddress> addresses, long ttl) {}

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
        pointRotating(name, List.of(address), ttlSeconds);
    }

    /** Answers every address, rotated by one at each query (as a name served by several addresses may be). */
    void pointRotating(String name, List<String> addresses, long ttlSeconds) throws IOException {
        List<InetAddress> resolved = new java.util.ArrayList<>();
        for (String address : addresses) {
            resolved.add(InetAddress.getByName(address));
        }
        names.put(Name.fromString(name + "."), new Entry(List.copyOf(resolved), ttlSeconds));
    }

    int queries(String name) {
        try {
            return queries.getOrDefault(Name.fromString(name + "."), 0);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("not a name: " + name, e);
        }
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
                int asked = queries.merge(question.getName(), 1, Integer::sum);
                Entry entry = names.get(question.getName());
                if (entry == null) {
                    answer.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    int count = entry.addresses().size();
                    for (int i = 0; i < count; i++) {
                        InetAddress address = entry.addresses().get((asked - 1 + i) % count);
                        answer.addRecord(
                                new ARecord(question.getName(), DClass.IN, entry.ttl(), address), Section.ANSWER);
                    }
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
