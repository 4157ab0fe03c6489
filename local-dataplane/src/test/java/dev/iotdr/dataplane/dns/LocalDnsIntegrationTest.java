package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * The local DNS against the real Route 53 emulator, queried over the wire with dnsjava's resolver over UDP and
 * TCP. Records are written the way the failover deciders write them; each test uses names of its own in a
 * zone of a domain no other test class uses.
 */
@ExtendWith(LocalCloudExtension.class)
class LocalDnsIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final FleetDomain DOMAIN =
            FleetDomain.of("dns-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test");
    private static final Duration REFRESH = Duration.ofMillis(250);
    /** Generous: a health check probes every 10 s at the quickest, and these wait for two probes or more. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static Route53Client route53;
    private static String zoneId;
    private static LocalDns dns;

    @BeforeAll
    static void startDns(RegionalAwsClients clients) throws IOException, InterruptedException {
        route53 = clients.route53(US);
        zoneId = route53.createHostedZone(r -> r.name(DOMAIN.name() + ".")
                        .callerReference(UUID.randomUUID().toString()))
                .hostedZone()
                .id()
                .replace("/hostedzone/", "");
        dns = new LocalDns(
                route53,
                DOMAIN,
                InetAddress.getLoopbackAddress(),
                0,
                Map.of(US, InetAddress.getByName("127.0.1.1"), EU, InetAddress.getByName("127.0.2.1")),
                REFRESH);
        dns.start();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!dns.ready() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(dns.ready()).as("the zone was read").isTrue();
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void theFailoverPairAnswersThePrimarysChainOverUdpAndTcpWithStoredTtls() throws Exception {
        failoverPair("iot", "abc123-ats.iot.us-east-1.amazonaws.com", "def456-ats.iot.eu-west-1.amazonaws.com", 7);

        for (boolean tcp : List.of(false, true)) {
            Message answer = awaitAnswer(name("iot"), Type.A, tcp, response -> !response.getSection(Section.ANSWER)
                    .isEmpty());
            assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(answer.getSection(Section.ANSWER))
                    .extracting(Record::getType, Record::getTTL)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Type.CNAME, 7L),
                            org.assertj.core.groups.Tuple.tuple(Type.A, 60L));
            assertThat(((CNAMERecord) answer.getSection(Section.ANSWER).getFirst()).getTarget())
                    .isEqualTo(Name.fromConstantString("abc123-ats.iot.us-east-1.amazonaws.com."));
            assertThat(addressOf(answer)).as("over %s", tcp ? "TCP" : "UDP").isEqualTo("127.0.1.1");
        }
    }

    @Test
    void anUpsertSwappingTheRolesSwitchesTheAnswerToTheOtherRegion() throws Exception {
        String us = "iotdr-api.us-east-1.elb.amazonaws.com";
        String eu = "iotdr-api.eu-west-1.elb.amazonaws.com";
        failoverPair("api", us, eu, 5);
        awaitAnswer(name("api"), Type.A, false, response -> "127.0.1.1".equals(addressOf(response)));

        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .changeBatch(b -> b.changes(
                        cname(ChangeAction.UPSERT, "api", EU, ResourceRecordSetFailover.PRIMARY, eu, 5, null),
                        cname(ChangeAction.UPSERT, "api", US, ResourceRecordSetFailover.SECONDARY, us, 5, null))));

        Message switched = awaitAnswer(name("api"), Type.A, false, response -> "127.0.2.1".equals(addressOf(response)));
        assertThat(switched.getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(5L);
    }

    @Test
    void aChainWithinTheZoneCarriesEachRecordsStoredTtl() throws Exception {
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .changeBatch(b -> b.changes(
                        simple("chain", RRType.CNAME, 42, name("chain-target").toString()),
                        simple("chain-target", RRType.CNAME, 17, "mine-ats.iot.eu-west-1.amazonaws.com"))));

        Message answer = awaitAnswer(
                name("chain"),
                Type.A,
                true,
                response -> response.getSection(Section.ANSWER).size() == 3);

        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(42L, 17L, 60L);
        assertThat(addressOf(answer)).isEqualTo("127.0.2.1");
    }

    @Test
    void aPrimaryWhoseCheckedPortIsClosedAnswersTheSecondaryOnceTheThresholdIsReached() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String check = healthCheck(HealthCheckType.TCP, closedPort, null, 2);
        failoverPair("tcp-checked", "p-ats.iot.us-east-1.amazonaws.com", "s-ats.iot.eu-west-1.amazonaws.com", 5, check);

        Message first = awaitAnswer(name("tcp-checked"), Type.A, false, response -> !response.getSection(Section.ANSWER)
                .isEmpty());
        assertThat(addressOf(first))
                .as("one failed probe of a new check is below the threshold of 2: still the primary")
                .isEqualTo("127.0.1.1");

        awaitAnswer(name("tcp-checked"), Type.A, false, response -> "127.0.2.1".equals(addressOf(response)));
    }

    @Test
    void anHttpCheckAnswering200StaysHealthyAndTurnsUnhealthyOn500() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        AtomicInteger probes = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/actuator/health/readiness", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        AtomicInteger unreferencedProbes = new AtomicInteger();
        HttpServer unreferenced = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        unreferenced.createContext("/", exchange -> {
            unreferencedProbes.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        unreferenced.start();
        try {
            // a check no record references, as the deciders keep theirs: a signal, never probed here
            healthCheck(HealthCheckType.HTTP, unreferenced.getAddress().getPort(), "/", 1);
            String check =
                    healthCheck(HealthCheckType.HTTP, server.getAddress().getPort(), "/actuator/health/readiness", 1);
            failoverPair(
                    "http-checked", "p-ats.iot.us-east-1.amazonaws.com", "s-ats.iot.eu-west-1.amazonaws.com", 5, check);

            awaitAnswer(name("http-checked"), Type.A, false, response -> !response.getSection(Section.ANSWER)
                    .isEmpty());
            Instant deadline = Instant.now().plus(PATIENCE);
            while (probes.get() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(probes.get()).as("the checker probed twice").isGreaterThanOrEqualTo(2);
            assertThat(addressOf(ask(name("http-checked"), Type.A, false)))
                    .as("two 200s with a threshold of 1: healthy")
                    .isEqualTo("127.0.1.1");
            assertThat(unreferencedProbes.get())
                    .as("probes of the unreferenced check")
                    .isZero();

            status.set(500);
            awaitAnswer(name("http-checked"), Type.A, false, response -> "127.0.2.1".equals(addressOf(response)));
        } finally {
            server.stop(0);
            unreferenced.stop(0);
        }
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainWithItsSoaAndOtherNamesAreRefused() throws Exception {
        Message missing = ask(name("no-such-name"), Type.A, false);
        assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(missing.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(missing.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);

        assertThat(ask(Name.fromConstantString("www.example.org."), Type.A, true)
                        .getRcode())
                .isEqualTo(Rcode.REFUSED);
    }

    @Test
    void garbageIsAnsweredFormerrAndTheServerGoesOnAnswering() throws Exception {
        byte[] garbage = {0x0a, 0x0b, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7f, 0x7f, 0x7f};
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), dns.port()));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message formerr = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(formerr.getHeader().getID()).isEqualTo(0x0a0b);
            assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
        }
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), dns.port())) {
            tcp.setSoTimeout(5000);
            OutputStream out = tcp.getOutputStream();
            out.write(new byte[] {0, 3, 1, 2, 3}); // a framed message too short to be one
            out.flush();
            InputStream in = tcp.getInputStream();
            assertThat(in.read()).as("the connection is closed, no answer").isEqualTo(-1);
        }

        assertThat(ask(name("still-answering"), Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(name("still-answering"), Type.A, true).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    private static void failoverPair(String label, String primary, String secondary, long ttl) {
        failoverPair(label, primary, secondary, ttl, null);
    }

    private static void failoverPair(String label, String primary, String secondary, long ttl, String primaryCheck) {
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .changeBatch(b -> b.changes(
                        cname(
                                ChangeAction.UPSERT,
                                label,
                                US,
                                ResourceRecordSetFailover.PRIMARY,
                                primary,
                                ttl,
                                primaryCheck),
                        cname(
                                ChangeAction.UPSERT,
                                label,
                                EU,
                                ResourceRecordSetFailover.SECONDARY,
                                secondary,
                                ttl,
                                null))));
    }

    private static software.amazon.awssdk.services.route53.model.Change cname(
            ChangeAction action,
            String label,
            Region region,
            ResourceRecordSetFailover role,
            String target,
            long ttl,
            String healthCheckId) {
        return software.amazon.awssdk.services.route53.model.Change.builder()
                .action(action)
                .resourceRecordSet(r -> r.name(label + "." + DOMAIN.name())
                        .type(RRType.CNAME)
                        .setIdentifier(region.code())
                        .failover(role)
                        .ttl(ttl)
                        .healthCheckId(healthCheckId)
                        .resourceRecords(ResourceRecord.builder().value(target).build()))
                .build();
    }

    private static software.amazon.awssdk.services.route53.model.Change simple(
            String label, RRType type, long ttl, String value) {
        return software.amazon.awssdk.services.route53.model.Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(r -> r.name(label + "." + DOMAIN.name())
                        .type(type)
                        .ttl(ttl)
                        .resourceRecords(ResourceRecord.builder().value(value).build()))
                .build();
    }

    /** A check as the deciders make them (interval 10, Route 53's quickest), on a loopback port. */
    private static String healthCheck(HealthCheckType type, int port, String path, int threshold) {
        return route53.createHealthCheck(
                        r -> r.callerReference(UUID.randomUUID().toString()).healthCheckConfig(c -> c.type(type)
                                .ipAddress("127.0.0.1")
                                .port(port)
                                .resourcePath(path)
                                .requestInterval(10)
                                .failureThreshold(threshold)))
                .healthCheck()
                .id();
    }

    private static Name name(String label) {
        return Name.fromConstantString(label + "." + DOMAIN.name() + ".");
    }

    private static Message ask(Name name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver =
                new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    }

    /** Asks until the answer satisfies {@code wanted}: the zone is read every refresh, checks probe on their interval. */
    private static Message awaitAnswer(Name name, int type, boolean tcp, Predicate<Message> wanted) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        Message last = ask(name, type, tcp);
        while (!wanted.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no wanted answer for " + name + " within " + PATIENCE + "; last:\n" + last);
            }
            Thread.sleep(100);
            last = ask(name, type, tcp);
        }
        return last;
    }

    private static String addressOf(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(record -> ((ARecord) record).getAddress().getHostAddress())
                .reduce((first, last) -> last)
                .orElse(null);
    }
}
