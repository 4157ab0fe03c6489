package dev.iotdr.onboarding.devices.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.RetiredCertificate;
import dev.iotdr.shared.domain.ThingGroupName;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the devices API (see {@code openapi.yaml}). */
final class DeviceJson {
    private DeviceJson() {}

    /** {@code POST /v1/devices}. Unknown fields are refused. */
    record OnboardRequest(
            @NotNull(message = "deviceId is required") String deviceId,
            @NotNull(message = "thingGroup is required") String thingGroup,
            Map<String, String> attributes,
            String csr) {}

    /** {@code POST /v1/devices/{deviceId}/certificate}; an empty body means a server-generated key. */
    record RotateRequest(String csr) {}

    /** The custom names devices and apps use; never an AWS-provided endpoint. */
    record Endpoints(String iot, String api) {
        static Endpoints of(FleetDomain domain) {
            return new Endpoints(domain.iotEndpoint(), domain.apiEndpoint());
        }
    }

    /** What onboarding and rotation answer. {@code privateKey} only for a server-generated key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Provisioned(
            String deviceId,
            String thingName,
            String certificateId,
            String certificateArn,
            String certificatePem,
            String privateKey,
            String rootCaPem,
            Endpoints endpoints,
            String region,
            String status,
            long version) {

        static Provisioned of(ProvisionedDevice device, FleetDomain domain, String rootCaPem) {
            return new Provisioned(
                    device.deviceId().value(),
                    device.thingName().value(),
                    device.certificate().id().value(),
                    device.certificate().arn(),
                    device.certificate().pem(),
                    device.privateKeyPem().orElse(null),
                    rootCaPem,
                    Endpoints.of(domain),
                    device.region().code(),
                    device.status().name(),
                    device.version());
        }

        @Override
        public String toString() {
            return "Provisioned[" + deviceId + ", certificate=" + certificateId + ", privateKey=<redacted>]";
        }
    }

    /** A device as the table holds it; never private key material. */
    record Device(
            String deviceId,
            String thingName,
            List<String> thingGroups,
            Map<String, String> attributes,
            String certificateId,
            String certificateArn,
            String certificatePem,
            String certificateStatus,
            List<String> retiredCertificateIds,
            String policyName,
            String status,
            long version,
            String originRegion,
            String createdAt,
            String updatedAt,
            Endpoints endpoints) {

        static Device of(DeviceRecord record, FleetDomain domain) {
            return new Device(
                    record.deviceId().value(),
                    record.thingName().value(),
                    record.thingGroups().stream().map(ThingGroupName::value).toList(),
                    record.attributes().values(),
                    record.certificate().id().value(),
                    record.certificate().arn(),
                    record.certificate().pem(),
                    record.certificate().status().name(),
                    record.retiredCertificates().stream()
                            .map(RetiredCertificate::id)
                            .map(Object::toString)
                            .toList(),
                    record.policyName().value(),
                    record.status().name(),
                    record.version(),
                    record.originRegion().code(),
                    record.createdAt().toString(),
                    record.updatedAt().toString(),
                    Endpoints.of(domain));
        }
    }

    /** A page of devices; {@code nextCursor} is absent on the last page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(List<Device> items, String nextCursor) {}
}
