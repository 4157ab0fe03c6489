package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The IoT SQL subset: parsing, FROM matching, WHERE and SELECT. */
class RuleSqlTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TELEMETRY = "SELECT *, topic(3) AS thingName, clientid() AS clientId,"
            + " timestamp() AS receivedAt FROM 'dt/fleet/+/telemetry'";

    @Test
    void theTelemetryRuleKeepsTheDeviceFieldsAndAddsThingClientAndReceiveTime() {
        RuleSql sql = RuleSql.parse(TELEMETRY);
        JsonNode out = json(sql.evaluate(
                        message("dt/fleet/t1/telemetry", "{\"messageId\":\"m1\",\"seq\":3,\"metrics\":{\"t\":21.5}}"))
                .orElseThrow());
        assertThat(out.get("messageId").stringValue()).isEqualTo("m1");
        assertThat(out.get("seq").intValue()).isEqualTo(3);
        assertThat(out.get("metrics").get("t").doubleValue()).isEqualTo(21.5);
        assertThat(out.get("thingName").stringValue()).isEqualTo("t1");
        assertThat(out.get("clientId").stringValue()).isEqualTo("client-1");
        assertThat(out.get("receivedAt").longValue()).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void namedItemsOverrideAPayloadFieldOfTheSameName() {
        JsonNode out = json(RuleSql.parse(TELEMETRY)
                .evaluate(message("dt/fleet/t1/telemetry", "{\"thingName\":\"forged\"}"))
                .orElseThrow());
        assertThat(out.get("thingName").stringValue()).isEqualTo("t1");
    }

    @Test
    void fromFilterWildcardsMatchLevelsAndDollarTopicsOnlyWhenNamed() {
        RuleSql plus = RuleSql.parse("SELECT * FROM 'dt/fleet/+/telemetry'");
        assertThat(plus.listensTo("dt/fleet/t1/telemetry")).isTrue();
        assertThat(plus.listensTo("dt/fleet/t1/other")).isFalse();
        assertThat(plus.listensTo("dt/fleet/t1/telemetry/x")).isFalse();

        RuleSql everything = RuleSql.parse("SELECT * FROM '#'");
        assertThat(everything.listensTo("a/b")).isTrue();
        assertThat(everything.listensTo("$aws/events/presence/connected/c1")).isFalse();

        RuleSql presence = RuleSql.parse("SELECT * FROM '$aws/events/presence/+/+'");
        assertThat(presence.listensTo("$aws/events/presence/connected/c1")).isTrue();
        assertThat(presence.listensTo("$aws/events/presence/connected")).isFalse();

        RuleSql rest = RuleSql.parse("SELECT * FROM 'a/#'");
        assertThat(rest.listensTo("a")).as("# also matches the parent level").isTrue();
        assertThat(rest.listensTo("a/b/c")).isTrue();
        assertThat(rest.listensTo("b/a")).isFalse();
    }

    @Test
    void whereSelectsMessagesWithComparisonsAndLogic() {
        RuleSql sql = RuleSql.parse("select * from 'a/+' where (temp > 30 AND NOT (state = 'off')) OR force = true");
        assertThat(sql.evaluate(message("a/1", "{\"temp\":31,\"state\":\"on\"}")))
                .isPresent();
        assertThat(sql.evaluate(message("a/1", "{\"temp\":31,\"state\":\"off\"}")))
                .isEmpty();
        assertThat(sql.evaluate(message("a/1", "{\"temp\":30,\"state\":\"on\",\"force\":true}")))
                .isPresent();
        assertThat(sql.evaluate(message("a/1", "{\"state\":\"on\"}")))
                .as("a missing field is Undefined, so the WHERE is not true")
                .isEmpty();
    }

    @Test
    void comparisonsCoverEveryOperatorAndNumericStrings() {
        assertThat(where("a.b = 2", "{\"a\":{\"b\":2}}")).isTrue();
        assertThat(where("a.b <> 2", "{\"a\":{\"b\":3}}")).isTrue();
        assertThat(where("a.b != 2", "{\"a\":{\"b\":2}}")).isFalse();
        assertThat(where("x <= -1.5", "{\"x\":-1.5}")).isTrue();
        assertThat(where("x < -1.5", "{\"x\":-1.5}")).isFalse();
        assertThat(where("x >= 10", "{\"x\":\"10\"}"))
                .as("a numeric string compares as a number")
                .isTrue();
        assertThat(where("s > 'abc'", "{\"s\":\"abd\"}")).isTrue();
        assertThat(where("s = 1", "{\"s\":\"one\"}"))
                .as("incomparable types are Undefined")
                .isFalse();
        assertThat(where("s <> 1", "{\"s\":\"one\"}")).isFalse();
        assertThat(where("topic(2) = 'x' AND clientid() = 'client-1' AND principal() = 'cert-1'", "{}"))
                .isTrue();
    }

    @Test
    void selectNamesPlainFieldsAfterThemselvesAndOmitsUndefined() {
        JsonNode out = json(RuleSql.parse("SELECT a.b, missing, topic() AS t, 'k' AS kind, 7 AS n FROM 'a/+'")
                .evaluate(message("a/x", "{\"a\":{\"b\":1}}"))
                .orElseThrow());
        assertThat(out.get("b").intValue()).isEqualTo(1);
        assertThat(out.has("missing")).isFalse();
        assertThat(out.get("t").stringValue()).isEqualTo("a/x");
        assertThat(out.get("kind").stringValue()).isEqualTo("k");
        assertThat(out.get("n").intValue()).isEqualTo(7);
        assertThat(out.size()).isEqualTo(4);
    }

    @Test
    void aNonJsonPayloadPassesThroughSelectStarUnchanged() {
        byte[] raw = {0, (byte) 0xff, 'x'};
        RuleSql.Output output = RuleSql.parse("SELECT * FROM 'a/+'")
                .evaluate(new InboundMessage("a/1", raw, Optional.empty(), Optional.empty(), 0))
                .orElseThrow();
        assertThat(output).isInstanceOf(RuleSql.Output.Raw.class);
        assertThat(output.bytes()).containsExactly(raw);
    }

    @Test
    void aNonJsonPayloadCannotHaveFieldsAddedAndSaysSo() {
        RuleSql sql = RuleSql.parse(TELEMETRY);
        assertThatThrownBy(() -> sql.evaluate(message("dt/fleet/t1/telemetry", "not json")))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void anEmptyPayloadIsAnEmptyObjectThatFieldsCanBeAddedTo() {
        JsonNode out = json(RuleSql.parse(TELEMETRY)
                .evaluate(message("dt/fleet/t9/telemetry", ""))
                .orElseThrow());
        assertThat(out.get("thingName").stringValue()).isEqualTo("t9");
    }

    @Test
    void whatIsOutsideTheSubsetIsRejectedNamingIt() {
        assertUnsupported("SELECT upper(a) AS u FROM 'a'", "function upper()");
        assertUnsupported("SELECT a + 1 AS b FROM 'a'", "operator +");
        assertUnsupported("SELECT topic(0) AS t FROM 'a'", "topic()");
        assertUnsupported("SELECT topic(3) FROM 'a'", "needs a name");
        assertUnsupported("SELECT * FROM 'a' WHERE a IN (1, 2)", "'IN'");
        assertUnsupported("SELECT * FROM 'a' WHERE CASE", "'CASE'");
        assertUnsupported("SELECT \"a-b\" FROM 'a'", "double-quoted");
        assertUnsupported("SELECT a[0] AS x FROM 'a'", "array indexing");
        assertUnsupported("SELECT * FROM 'a/#/b'", "# must be a whole level and the last one");
        assertUnsupported("SELECT * FROM 'a/b+'", "+ must be a whole level");
        assertUnsupported("SELECT * FROM a", "single quotes");
        assertUnsupported("SELECT *, * FROM 'a'", "more than once");
        assertUnsupported("SELECT * FROM 'a' LIMIT 1", "after the query");
        assertUnsupported("SELECT * FROM 'a' WHERE a = 'open", "not closed");
    }

    private static void assertUnsupported(String sql, String named) {
        assertThatThrownBy(() -> RuleSql.parse(sql))
                .as(sql)
                .isInstanceOf(UnsupportedRuleException.class)
                .hasMessageContaining(named);
    }

    private static boolean where(String condition, String payload) {
        return RuleSql.parse("SELECT * FROM 'a/+' WHERE " + condition)
                .evaluate(message("a/x", payload))
                .isPresent();
    }

    private static InboundMessage message(String topic, String payload) {
        return new InboundMessage(
                topic,
                payload.getBytes(StandardCharsets.UTF_8),
                Optional.of("client-1"),
                Optional.of("cert-1"),
                1_700_000_000_123L);
    }

    private static JsonNode json(RuleSql.Output output) {
        return JSON.readTree(output.bytes());
    }
}
