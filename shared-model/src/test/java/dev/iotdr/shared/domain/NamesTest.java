package dev.iotdr.shared.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;

class NamesTest {

    @Test
    void everyStringOfThingNameCharactersUpTo128IsAValidDeviceId() {
        qt().withExamples(1000)
                .forAll(DeviceRecordGenerators.thingNameStrings())
                .checkAssert(name ->
                        assertThat(DeviceId.of(name).thingName().value()).isEqualTo(name));
    }

    @Test
    void aDeviceIdWithAnyCharacterOutsideTheThingNameRulesIsRefused() {
        qt().withExamples(1000)
                .forAll(DeviceRecordGenerators.texts(0, 20), Generate.characters(' ', '/'))
                .checkAssert((prefix, bad) -> {
                    String candidate = prefix.replaceAll("[^a-zA-Z0-9:_-]", "") + bad;
                    if (bad == '-') {
                        assertThat(DeviceId.of(candidate)).isNotNull();
                    } else {
                        assertThatThrownBy(() -> DeviceId.of(candidate))
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("must match");
                    }
                });
    }

    @Test
    void deviceIdLengthIsBoundedBy128() {
        assertThat(DeviceId.of("d".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> DeviceId.of("d".repeat(129))).hasMessageContaining("1 to 128 characters");
        assertThatThrownBy(() -> DeviceId.of("")).hasMessageContaining("1 to 128 characters");
        assertThatThrownBy(() -> DeviceId.of(null)).hasMessage("device id is required");
    }

    @Test
    void errorMessagesAreShortAndSingleLineWhateverWasSent() {
        assertThatThrownBy(() -> DeviceId.of("evil\nname" + "x".repeat(100)))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "il-central-1", "eu-south-2"})
    void realRegionCodesAreAccepted(String code) {
        assertThat(Region.of(code).code()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"US-EAST-1", "us-east", "useast1", "us-east-0", "us_east_1", "../etc", "us-east-1 "})
    void malformedRegionCodesAreRefused(String code) {
        assertThatThrownBy(() -> Region.of(code)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attributesFollowIotRules() {
        assertThat(ThingAttributes.of(Map.of("model", "th-200", "loc", "[1,2]")).values())
                .containsEntry("loc", "[1,2]");
        assertThatThrownBy(() -> ThingAttributes.of(Map.of("bad name", "x"))).hasMessageContaining("attribute name");
        assertThatThrownBy(() -> ThingAttributes.of(Map.of("ok", "no spaces allowed")))
                .hasMessageContaining("value of attribute 'ok'");
        assertThatThrownBy(() -> ThingAttributes.of(Map.of("ok", "v".repeat(801))))
                .hasMessageContaining("0 to 800");
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= ThingAttributes.MAX_ENTRIES; i++) {
            tooMany.put("a" + i, "v");
        }
        assertThatThrownBy(() -> ThingAttributes.of(tooMany)).hasMessageContaining("at most 50 attributes");
    }

    @Test
    void certificateIdIsSixtyFourHexCharactersNormalisedToLowerCase() {
        assertThat(CertificateId.of("AB".repeat(32)).value()).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> CertificateId.of("ab".repeat(31))).hasMessageContaining("64 to 64");
        assertThatThrownBy(() -> CertificateId.of("zz".repeat(32))).hasMessageContaining("must match");
    }

    @Test
    void certificateRefusesPrivateKeyMaterialAndMismatchedArn() {
        DeviceCertificate valid = DeviceFixtures.certificate('b', CertificateStatus.ACTIVE);
        assertThatThrownBy(() -> new DeviceCertificate(
                        valid.id(),
                        valid.arn(),
                        "-----BEGIN CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\n-----END CERTIFICATE-----",
                        CertificateStatus.ACTIVE))
                .hasMessageContaining("private key");
        assertThatThrownBy(() -> new DeviceCertificate(
                        valid.id(),
                        "arn:aws:iot:us-east-1:123456789012:cert/" + "c".repeat(64),
                        valid.pem(),
                        CertificateStatus.ACTIVE))
                .hasMessageContaining("does not name certificate");
        assertThatThrownBy(() -> new DeviceCertificate(valid.id(), valid.arn(), "not a pem", CertificateStatus.ACTIVE))
                .hasMessageContaining("PEM");
    }

    @Test
    void fleetDomainGivesTheCustomEndpointsAndNormalises() {
        FleetDomain domain = FleetDomain.of("Fleet.Example.com.");
        assertThat(domain.name()).isEqualTo("fleet.example.com");
        assertThat(domain.iotEndpoint()).isEqualTo("iot.fleet.example.com");
        assertThat(domain.apiEndpoint()).isEqualTo("api.fleet.example.com");
        assertThatThrownBy(() -> FleetDomain.of("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FleetDomain.of("bad_domain.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topologyKnowsThePrimaryAndTheOthers() {
        RegionTopology topology = RegionTopology.of(DeviceFixtures.US_EAST_1, DeviceFixtures.EU_WEST_1);
        assertThat(topology.primary()).isEqualTo(DeviceFixtures.US_EAST_1);
        assertThat(topology.others(DeviceFixtures.US_EAST_1)).containsExactly(DeviceFixtures.EU_WEST_1);
        assertThatThrownBy(() -> topology.others(Region.of("ap-south-1"))).hasMessageContaining("is not one of");
        assertThatThrownBy(() -> RegionTopology.of(DeviceFixtures.US_EAST_1, DeviceFixtures.US_EAST_1))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> RegionTopology.of()).hasMessageContaining("at least one");
    }

    @Test
    void aCertificateIdFromDerIsItsSha256InLowercaseHex() {
        // SHA-256 test vector (FIPS 180-2): "abc"
        assertThat(CertificateId.ofDer("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .value())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
