package dev.iotdr.replication;

import dev.iotdr.service.config.ServiceMain;
import dev.iotdr.service.config.ServiceSupportConfiguration;
import dev.iotdr.service.web.OpsApiSecurity;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The replication service: keeps this region's IoT registry identical to the device records of every
 * region, from the device table's streams, idempotently.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({ServiceSupportConfiguration.class, OpsApiSecurity.class})
public class ReplicationApplication {
    public static void main(String[] args) {
        ServiceMain.run(ReplicationApplication.class, args);
    }
}
