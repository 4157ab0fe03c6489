package dev.iotdr.failover;

import dev.iotdr.service.config.ServiceMain;
import dev.iotdr.service.config.ServiceSupportConfiguration;
import dev.iotdr.service.web.OpsApiSecurity;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The failover service: keeps the fleet's custom names pointed at a healthy region, fails over and back
 * safely, runs drills, and records how long it all took.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({ServiceSupportConfiguration.class, OpsApiSecurity.class})
public class FailoverApplication {
    public static void main(String[] args) {
        ServiceMain.run(FailoverApplication.class, args);
    }
}
