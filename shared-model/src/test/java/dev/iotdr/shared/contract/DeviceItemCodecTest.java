package dev.iotdr.shared.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.iotdr.shared.domain.DeviceFixtures;
import dev.iotdr.shared.domain.DeviceRecordGenerators;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DeviceItemCodecTest {

    @Test
    void everyRecordSurvivesTheRoundTripThroughItsItem() {
        qt().withExamples(300).forAll(DeviceRecordGenerators.records()).checkAssert(record -> assertThat(
                        DeviceItemCodec.fromItem(DeviceItemCodec.toItem(record)))
                .isEqualTo(record));
    }

    @Test
    void itemKeysOnTheDeviceIdAndCarriesVersionOriginAndSchema() {
        Map<String, AttributeValue> item = DeviceItemCodec.toItem(DeviceFixtures.onboarded("sensor-9"));
        assertThat(item.get(DeviceTable.DEVICE_ID).s()).isEqualTo("sensor-9");
        assertThat(item.get(DeviceTable.VERSION).n()).isEqualTo("1");
        assertThat(item.get(DeviceTable.ORIGIN_REGION).s()).isEqualTo("us-east-1");
        assertThat(item.get(DeviceTable.SCHEMA_VERSION).n()).isEqualTo("1");
    }

    @Test
    void aMissingAttributeIsNamed() {
        Map<String, AttributeValue> item = new HashMap<>(DeviceItemCodec.toItem(DeviceFixtures.onboarded("s")));
        item.remove(DeviceTable.CERTIFICATE_PEM);
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(item))
                .isInstanceOf(MalformedDeviceItemException.class)
                .hasMessageContaining("'certificatePem'");
    }

    @Test
    void aWrongTypeOrInvalidValueIsNamed() {
        Map<String, AttributeValue> item = new HashMap<>(DeviceItemCodec.toItem(DeviceFixtures.onboarded("s")));
        item.put(DeviceTable.VERSION, AttributeValue.fromS("one"));
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(item)).hasMessageContaining("'version' is not a number");

        item.put(DeviceTable.VERSION, AttributeValue.fromN("1"));
        item.put(DeviceTable.ORIGIN_REGION, AttributeValue.fromS("mars-1"));
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(item))
                .isInstanceOf(MalformedDeviceItemException.class)
                .hasMessageContaining("'originRegion' is invalid");

        item.put(DeviceTable.ORIGIN_REGION, AttributeValue.fromS("us-east-1"));
        item.put(DeviceTable.STATUS, AttributeValue.fromS("SLEEPING"));
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(item)).hasMessageContaining("'status' is invalid");
    }

    @Test
    void aNewerSchemaIsRefusedRatherThanMisread() {
        Map<String, AttributeValue> item = new HashMap<>(DeviceItemCodec.toItem(DeviceFixtures.onboarded("s")));
        item.put(DeviceTable.SCHEMA_VERSION, AttributeValue.fromN("2"));
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(item)).hasMessageContaining("schema version 2");
    }

    @Test
    void anEmptyItemIsRefused() {
        assertThatThrownBy(() -> DeviceItemCodec.fromItem(Map.of())).hasMessageContaining("empty");
    }
}
