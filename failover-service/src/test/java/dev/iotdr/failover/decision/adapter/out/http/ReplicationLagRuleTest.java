package dev.iotdr.failover.decision.adapter.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.iotdr.failover.decision.application.ReplicationView;
import dev.iotdr.failover.decision.domain.FailoverRules;
import dev.iotdr.failover.decision.domain.FailoverRules.Decision;
import dev.iotdr.failover.decision.domain.FailoverRules.Trigger;
import dev.iotdr.failover.decision.domain.Observations;
import dev.iotdr.failover.decision.domain.Rule;
import dev.iotdr.failover.health.domain.RegionHealth;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the decider reads from a target's replication status, and what the RPO rule does with it: a reader
 * that fails while its source is fine shows a growing lag, which blocks an automatic failover once it
 * passes the budget; an unknown lag blocks too; a small lag lets it through. (The exposure a failover rule
 * weighs, counted from a failing source's first failure, is FailoverCoordinatorTest's.)
 */
class ReplicationLagRuleTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private HttpServer server;
    private volatile String status;
    private HttpReplicationLag lag;
    private final FailoverRules rules = new FailoverRules(Duration.ofSeconds(5), Duration.ofMinutes(5));

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/replication/status", exchange -> {
            byte[] body = status.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        lag = new HttpReplicationLag(
                Map.of(EU, URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                () -> "token",
                Duration.ofSeconds(2),
                Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aReaderThatHasFailedForLongerThanTheBudgetBlocksAnAutomaticFailover() {
        // the reader has not read us-east-1 for 12 s although us-east-1 answers
        status = statusWith("12000", NOW.minusSeconds(12));

        assertThat(lag.viewOf(EU))
                .contains(new ReplicationView(NOW.minusSeconds(12), Set.of(US), Duration.ofSeconds(12)));
        assertThat(decide(lag.viewOf(EU)).blockedBy()).containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET);
    }

    @Test
    void anUnknownLagBlocksAnAutomaticFailover() {
        status = """
                {"region":"eu-west-1","mode":"TABLE_COPY","sources":[{"region":"us-east-1","lagMillis":null,
                "lagUnknownBecause":"no worker has read us-east-1's stream yet","appliedUpTo":null}]}""";

        assertThat(lag.viewOf(EU)).isEmpty();
        assertThat(decide(lag.viewOf(EU)).blockedBy()).containsExactly(Rule.REPLICATION_LAG_OVER_BUDGET);
    }

    @Test
    void aReaderThatKeepsUpLetsItThrough() {
        status = statusWith("300", NOW.minusMillis(300));

        assertThat(lag.viewOf(EU).map(ReplicationView::lag)).contains(Duration.ofMillis(300));
        assertThat(decide(lag.viewOf(EU)).allowed()).isTrue();
    }

    /** The rule on a healthy source's view: the exposure is now - appliedUpTo. */
    private Decision decide(Optional<ReplicationView> view) {
        RegionHealth healthy = RegionHealth.unknown(1, 1).observe(true, NOW, "ok");
        RegionHealth down = RegionHealth.unknown(1, 1).observe(false, NOW, "down");
        Optional<Duration> exposure = view.map(v -> Duration.between(v.appliedUpTo(), NOW));
        Observations seen = new Observations(
                US,
                Map.of(US, down, EU, healthy),
                Map.of(EU, exposure, US, Optional.of(Duration.ZERO)),
                Optional.empty(),
                Optional.empty(),
                NOW);
        return rules.decide(seen, EU, Trigger.AUTOMATIC, false, Optional.empty());
    }

    private static String statusWith(String lagMillis, Instant appliedUpTo) {
        return """
                {"region":"eu-west-1","mode":"TABLE_COPY","sources":[{"region":"us-east-1","lagMillis":%s,
                "lagUnknownBecause":null,"appliedUpTo":"%s","openShards":1}],"parkedCount":0,"lastAudit":null}""".formatted(lagMillis, appliedUpTo);
    }
}
