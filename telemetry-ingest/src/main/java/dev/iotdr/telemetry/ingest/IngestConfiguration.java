package dev.iotdr.telemetry.ingest;

import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.telemetry.config.SqsQueues;
import dev.iotdr.telemetry.config.TelemetryProperties;
import dev.iotdr.telemetry.ingest.application.DeadLetters;
import dev.iotdr.telemetry.ingest.application.IngestEvents;
import dev.iotdr.telemetry.ingest.application.IngestTelemetry;
import dev.iotdr.telemetry.ingest.application.TelemetryParser;
import dev.iotdr.telemetry.ingest.application.TelemetryStore;
import dev.iotdr.telemetry.ingest.domain.StoreOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How ingest is assembled: the parser with the configured limits, the store, the dead letters, the counters. */
@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    @Bean
    IngestTelemetry ingestTelemetry(
            TelemetryProperties telemetry,
            RegionProperties region,
            TelemetryStore store,
            DeadLetters deadLetters,
            IngestEvents events,
            Clock clock) {
        return new IngestTelemetry(
                new TelemetryParser(telemetry.limits(), region.self()),
                store,
                deadLetters,
                events,
                clock,
                telemetry.maxReceives());
    }

    @Bean
    DeadLetters telemetryDeadLetters(
            RegionalAwsClients clients, RegionProperties region, GuardedAwsCalls calls, TelemetryProperties telemetry) {
        return SqsQueues.deadLetters(clients.sqs(region.self()), calls, telemetry.deadLetterQueue());
    }

    /** {@code iotdr.telemetry.records{source, outcome}}: stored, duplicate, rejected (invalid), failed (retried). */
    @Bean
    IngestEvents ingestMeters(MeterRegistry meters) {
        return new IngestEvents() {
            @Override
            public void stored(Source source, StoreOutcome outcome) {
                count(source, outcome.name());
            }

            @Override
            public void rejected(Source source, String field) {
                count(source, "rejected");
            }

            @Override
            public void failed(Source source) {
                count(source, "failed");
            }

            private void count(Source source, String outcome) {
                Counter.builder("iotdr.telemetry.records")
                        .description("Telemetry records by input and outcome")
                        .tag("source", source.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                        .register(meters)
                        .increment();
            }
        };
    }
}
