package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.deploy.localcloud.LocalCloud;
import dev.iotdr.deploy.localcloud.LocalCloudExtension;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS as the local stack runs it: from its command line, with a readiness endpoint. */
@ExtendWith(LocalCloudExtension.class)
class DnsMainIntegrationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void readinessIs503UntilTheZoneHasBeenReadThen200AndTheNamesAnswer(LocalCloud cloud, RegionalAwsClients clients)
            throws Exception {
        String domain = "dns-main-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        DnsMain.Arguments arguments = DnsMain.Arguments.parse(
                "--route53-endpoint=" + cloud.globalEndpoint(),
                "--domain=" + domain,
                "--bind=127.0.0.1",
                "--port=0",
                "--region=us-east-1=127.0.1.1",
                "--region=eu-west-1=127.0.2.1",
                "--admin-port=0",
                "--refresh-millis=200");
        try (DnsMain.Running running = DnsMain.start(arguments)) {
            HttpClient http = HttpClient.newHttpClient();
            URI readiness = URI.create("http://127.0.0.1:" + running.adminPort() + "/actuator/health/readiness");
            // listening, Route 53 read several times, but no zone of this name yet
            Thread.sleep(1000);
            assertThat(status(http, readiness)).isEqualTo(503);

            clients.route53(Region.of("us-east-1")).createHostedZone(r -> r.name(domain + ".")
                    .callerReference(UUID.randomUUID().toString()));

            Instant deadline = Instant.now().plus(PATIENCE);
            while (status(http, readiness) != 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(status(http, readiness)).isEqualTo(200);
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), running.dns().port()));
            Message missing = resolver.send(query("nothing." + domain + "."));
            assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            Message regional = resolver.send(query("x1-ats.iot.eu-west-1.amazonaws.com."));
            assertThat(regional.getSection(Section.ANSWER))
                    .singleElement()
                    .isInstanceOfSatisfying(
                            ARecord.class,
                            a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.2.1"));
        }
    }

    @Test
    void aCommandLineMissingWhatItNeedsIsRefusedByName() {
        assertThatThrownBy(() -> DnsMain.Arguments.parse(
                        "--route53-endpoint=http://127.0.0.1:1",
                        "--domain=a.example.test",
                        "--port=53",
                        "--admin-port=0"))
                .hasMessageContaining("--region=<code>=<address>");
        assertThatThrownBy(() -> DnsMain.Arguments.parse(
                        "--route53-endpoint=http://127.0.0.1:1",
                        "--domain=a.example.test",
                        "--region=us-east-1=127.0.1.1",
                        "--admin-port=0"))
                .hasMessageContaining("--port=<value> is required");
        assertThatThrownBy(() -> DnsMain.Arguments.parse("--region=us-east-1=iot.example.com"))
                .hasMessageContaining("an IP address is required");
        assertThatThrownBy(() -> DnsMain.Arguments.parse("--colour=blue")).hasMessageContaining("unknown arguments");
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static Message query(String name) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
    }
}
