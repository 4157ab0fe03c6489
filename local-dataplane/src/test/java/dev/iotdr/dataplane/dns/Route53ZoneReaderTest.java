package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Route53ZoneReaderTest {

    @Test
    void theEmulatorsDictWrappedValueIsReadAsTheBareValueAndOthersAsTheyAre() {
        String soa = "ns-2048.awsdns-64.com. hostmaster.example.com. 1 7200 900 1209600 86400";

        assertThat(Route53ZoneReader.unwrapped("{'Value': '" + soa + "'}")).isEqualTo(soa);
        assertThat(Route53ZoneReader.unwrapped(soa)).isEqualTo(soa);
        assertThat(Route53ZoneReader.unwrapped("\"{'Value': 'x'}\"")).isEqualTo("\"{'Value': 'x'}\"");
    }
}
