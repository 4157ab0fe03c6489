package dev.iotdr.telemetry.ingest.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.shared.domain.Region;
import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import dev.iotdr.telemetry.ingest.domain.TelemetryLimits;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryParserTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final long TS = NOW.minusSeconds(30).toEpochMilli();
    private static final TelemetryLimits LIMITS =
            new TelemetryLimits(1024, 4, 16, 32, Duration.ofMinutes(5), Duration.ofDays(7));
    private final TelemetryParser parser = new TelemetryParser(LIMITS, Region.of("eu-west-1"));

    private static String message(String metrics) {
        return "{\"messageId\":\"m-1\",\"seq\":7,\"ts\":" + TS + ",\"metrics\":" + metrics
                + ",\"thingName\":\"sensor-1\",\"clientId\":\"sensor-1\",\"receivedAt\":" + NOW.toEpochMilli() + "}";
    }

    @Test
    void aMessageFromTheTopicRuleIsReadWithWhatTheRuleAdded() {
        TelemetryRecord record = parser.fromQueue(message("{\"temp\":21.50,\"state\":\"ok\",\"count\":3}"), NOW);

        assertThat(record.thingName().value()).isEqualTo("sensor-1");
        assertThat(record.messageId().value()).isEqualTo("m-1");
        assertThat(record.seq()).isEqualTo(7);
        assertThat(record.ts()).isEqualTo(TS);
        assertThat(record.receivedAt()).isEqualTo(NOW.toEpochMilli());
        assertThat(record.ingestedIn()).isEqualTo(Region.of("eu-west-1"));
        // the decimal the device sent, not a binary float's approximation
        assertThat(record.metrics())
                .containsEntry("temp", new BigDecimal("21.50"))
                .containsEntry("state", "ok");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"temp\":1e400}|metrics.temp",
                "{\"temp\":-1e-200}|metrics.temp",
                "{\"temp\":1.000000000000000000000000000000000000001}|metrics.temp",
                "{\"temp\":{\"c\":1}}|metrics.temp",
                "{\"temp\":[1]}|metrics.temp",
                "{\"temp\":true}|metrics.temp",
                "{\"temp\":null}|metrics.temp",
                "{\"bad name\":1}|metrics.bad name",
                "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}|metrics",
                "{\"s\":\"0123456789012345678901234567890123456789\"}|metrics.s",
                "[]|metrics",
            })
    void aMetricOutsideTheContractIsRefusedNamingIt(String metrics, String field) {
        assertThatThrownBy(() -> parser.fromQueue(message(metrics), NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aNonFiniteNumberTokenIsNotJson() {
        assertThatThrownBy(() -> parser.fromQueue(message("{\"temp\":NaN}"), NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo("message"));
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        String body = message("{\"t\":1}").replace("\"seq\":7", "\"seq\":7,\"extra\":1");
        assertThatThrownBy(() -> parser.fromQueue(body, NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo("extra"));
    }

    @Test
    void aRepeatedFieldIsRefused() {
        String body = message("{\"t\":1}").replace("\"seq\":7", "\"seq\":7,\"seq\":8");
        assertThatThrownBy(() -> parser.fromQueue(body, NOW)).isInstanceOf(InvalidTelemetry.class);
    }

    @Test
    void anOversizedMessageIsRefusedBeforeItIsRead() {
        String body = message("{\"s\":\"" + "x".repeat(1100) + "\"}");
        assertThatThrownBy(() -> parser.fromQueue(body, NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo("message"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"messageId\":\"m-1\"|\"messageId\":\"m 1\"|messageId",
                "\"messageId\":\"m-1\"|\"messageId\":7|messageId",
                "\"thingName\":\"sensor-1\"|\"thingName\":\"sensor/1\"|thingName",
                "\"thingName\":\"sensor-1\"|\"thingName\":\"\"|thingName",
                "\"seq\":7|\"seq\":-1|seq",
                "\"seq\":7|\"seq\":7.5|seq",
                "\"seq\":7|\"seq\":\"7\"|seq",
            })
    void aBadIdOrCounterIsRefusedNamingIt(String from, String to, String field) {
        assertThatThrownBy(() -> parser.fromQueue(message("{\"t\":1}").replace(from, to), NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aTimestampOutsideTheSkewIsRefused() {
        long ahead = NOW.plus(Duration.ofMinutes(6)).toEpochMilli();
        long old = NOW.minus(Duration.ofDays(8)).toEpochMilli();
        for (long ts : new long[] {ahead, old}) {
            String body = message("{\"t\":1}").replace("\"ts\":" + TS, "\"ts\":" + ts);
            assertThatThrownBy(() -> parser.fromQueue(body, NOW))
                    .isInstanceOfSatisfying(
                            InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo("ts"));
        }
        long withinSkew = NOW.plus(Duration.ofMinutes(4)).toEpochMilli();
        assertThat(parser.fromQueue(message("{\"t\":1}").replace("\"ts\":" + TS, "\"ts\":" + withinSkew), NOW)
                        .ts())
                .isEqualTo(withinSkew);
    }

    @Test
    void aBatchRecordIsNamedByItsIndexAndMayNotCarryWhatTheCloudAdds() {
        var records = TelemetryParser.readTree(("[{\"thingName\":\"s-1\",\"messageId\":\"a\",\"seq\":1,\"ts\":" + TS
                        + ",\"metrics\":{}},{\"thingName\":\"s-1\",\"messageId\":\"b\",\"seq\":2,\"ts\":" + TS
                        + ",\"metrics\":{},\"receivedAt\":1}]")
                .getBytes());

        assertThat(parser.fromBatch(records.get(0), 0, "gateway-1", NOW).clientId())
                .isEqualTo("gateway-1");
        assertThatThrownBy(() -> parser.fromBatch(records.get(1), 1, "gateway-1", NOW))
                .isInstanceOfSatisfying(
                        InvalidTelemetry.class, e -> assertThat(e.field()).isEqualTo("records[1].receivedAt"));
    }
}
