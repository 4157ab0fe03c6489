package dev.iotdr.telemetry;

import dev.iotdr.service.config.ServiceMain;
import dev.iotdr.service.config.ServiceSupportConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Telemetry ingest: the fleet's data from the topic rule's queue and gateways' batches, stored once, in this region. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceSupportConfiguration.class)
public class TelemetryApplication {
    public static void main(String[] args) {
        ServiceMain.run(TelemetryApplication.class, args);
    }
}
