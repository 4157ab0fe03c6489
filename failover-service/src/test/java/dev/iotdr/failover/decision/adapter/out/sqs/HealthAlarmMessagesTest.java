package dev.iotdr.failover.decision.adapter.out.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdr.shared.domain.Region;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthAlarmMessagesTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");
    private static final Map<String, Region> CHECKS = Map.of("hc-111", US, "hc-222", EU);
    private static final Instant AT = Instant.parse("2026-11-23T00:00:00Z");

    private static String alarm(String state, String checkId, String name) {
        return "{\"AlarmName\":\"" + name + "\",\"NewStateValue\":\"" + state
                + "\",\"Trigger\":{\"MetricName\":\"HealthCheckStatus\","
                + "\"Namespace\":\"AWS/Route53\",\"Dimensions\":[{\"name\":\"HealthCheckId\",\"value\":\"" + checkId
                + "\"}]}}";
    }

    @Test
    void anAlarmThroughSnsNamesTheRegionOfItsHealthCheck() {
        String sns = "{\"Type\":\"Notification\",\"Message\":" + quote(alarm("ALARM", "hc-111", "api-health")) + "}";
        var signal = HealthAlarmMessages.parse(sns, CHECKS, AT);
        assertThat(signal).hasValueSatisfying(s -> {
            assertThat(s.region()).isEqualTo(US);
            assertThat(s.ok()).isFalse();
            assertThat(s.at()).isEqualTo(AT);
        });
    }

    @Test
    void aSignalIsStampedWithTheAlarmsOwnStateChangeTimeNotWhenItArrived() {
        String late = alarm("OK", "hc-111", "x")
                .replaceFirst("\\{", "{\"StateChangeTime\":\"2026-11-22T23:59:30.000+0000\",");
        assertThat(HealthAlarmMessages.parse(late, CHECKS, AT))
                .hasValueSatisfying(s -> assertThat(s.at()).isEqualTo(Instant.parse("2026-11-22T23:59:30Z")));
    }

    @Test
    void aRawAlarmBackToOkIsAHealthySignal() {
        assertThat(HealthAlarmMessages.parse(alarm("OK", "hc-222", "x"), CHECKS, AT))
                .hasValueSatisfying(s -> assertThat(s.ok()).isTrue());
    }

    @Test
    void withoutAKnownCheckTheAlarmNameSuffixNamesTheRegion() {
        assertThat(HealthAlarmMessages.parse(alarm("ALARM", "hc-999", "iotdr-health-eu-west-1"), CHECKS, AT))
                .hasValueSatisfying(s -> assertThat(s.region()).isEqualTo(EU));
    }

    @Test
    void anythingElseIsNotASignal() {
        assertThat(HealthAlarmMessages.parse(alarm("INSUFFICIENT_DATA", "hc-111", "x"), CHECKS, AT))
                .isEmpty();
        assertThat(HealthAlarmMessages.parse("not json", CHECKS, AT)).isEmpty();
        assertThat(HealthAlarmMessages.parse("{\"hello\":1}", CHECKS, AT)).isEmpty();
        assertThat(HealthAlarmMessages.parse(alarm("ALARM", "hc-999", "unrelated"), CHECKS, AT))
                .isEmpty();
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
