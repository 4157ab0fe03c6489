package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;

/** Route 53 out of reach: the DNS answers from the last zone it read, and catches up once it can read again. */
@ExtendWith(LocalCloudExtension.class)
class LocalDnsOutageIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void whileRoute53CannotBeReadTheLastViewIsAnsweredAndAfterwardsTheNewOne(
            LocalCloud cloud, RegionalAwsClients clients) throws Exception {
        FleetDomain domain =
                FleetDomain.of("dns-outage-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test");
        Route53Client direct = clients.route53(US);
        String zoneId = direct.createHostedZone(r -> r.name(domain.name() + ".")
                        .callerReference(UUID.randomUUID().toString()))
                .hostedZone()
                .id()
                .replace("/hostedzone/", "");
        Name state = Name.fromConstantString("_failover." + domain.name() + ".");
        writeState(direct, zoneId, state, "active=us-east-1;generation=1");

        try (TcpRelay relay = new TcpRelay(cloud.globalEndpoint());
                RegionalAwsClients throughRelay =
                        new RegionalAwsClients(AwsClientSettings.emulated(Map.of(), relay.uri()));
                LocalDns dns = new LocalDns(
                        throughRelay.route53(US),
                        domain,
                        InetAddress.getLoopbackAddress(),
                        0,
                        Map.of(US, InetAddress.getByName("127.0.1.1")),
                        Duration.ofMillis(200))) {
            dns.start();
            awaitState(dns, state, "active=us-east-1;generation=1");

            relay.cut();
            writeState(direct, zoneId, state, "active=eu-west-1;generation=2");
            Instant deadline = Instant.now().plus(PATIENCE);
            while (relay.refused() < 3 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(relay.refused()).as("reads failed while cut").isGreaterThanOrEqualTo(3);
            Message duringOutage = ask(dns, state);
            assertThat(duringOutage.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(txt(duringOutage)).isEqualTo("active=us-east-1;generation=1");

            relay.restore();
            awaitState(dns, state, "active=eu-west-1;generation=2");
        }
    }

    private static void writeState(Route53Client route53, String zoneId, Name name, String value) {
        Change upsert = Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(set -> set.name(name.toString())
                        .type(RRType.TXT)
                        .ttl(5L)
                        .resourceRecords(ResourceRecord.builder()
                                .value("\"" + value + "\"")
                                .build()))
                .build();
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(upsert)));
    }

    private static void awaitState(LocalDns dns, Name name, String value) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        String seen = txt(ask(dns, name));
        while (!value.equals(seen) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            seen = txt(ask(dns, name));
        }
        assertThat(seen).isEqualTo(value);
    }

    private static Message ask(LocalDns dns, Name name) throws IOException {
        SimpleResolver resolver =
                new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
    }

    private static String txt(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(TXTRecord.class::isInstance)
                .map(record -> String.join("", ((TXTRecord) record).getStrings()))
                .findFirst()
                .orElse(null);
    }
}
