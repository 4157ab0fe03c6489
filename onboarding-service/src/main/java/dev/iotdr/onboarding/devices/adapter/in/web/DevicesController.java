package dev.iotdr.onboarding.devices.adapter.in.web;

import dev.iotdr.onboarding.config.OnboardingProperties;
import dev.iotdr.onboarding.devices.adapter.in.web.DeviceJson.Device;
import dev.iotdr.onboarding.devices.adapter.in.web.DeviceJson.OnboardRequest;
import dev.iotdr.onboarding.devices.adapter.in.web.DeviceJson.Page;
import dev.iotdr.onboarding.devices.adapter.in.web.DeviceJson.Provisioned;
import dev.iotdr.onboarding.devices.adapter.in.web.DeviceJson.RotateRequest;
import dev.iotdr.onboarding.devices.application.DeviceQueries;
import dev.iotdr.onboarding.devices.application.DeviceRecords;
import dev.iotdr.onboarding.devices.application.UseCases.DecommissionDevice;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDevice;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDeviceCommand;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.application.UseCases.ReadDevices;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificate;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificateCommand;
import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.service.config.RegionProperties;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.FleetDomain;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The devices API that mobile onboarding apps call. */
@RestController
@RequestMapping(path = "/v1/devices", produces = MediaType.APPLICATION_JSON_VALUE)
class DevicesController {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final OnboardDevice onboarding;
    private final RotateCertificate rotation;
    private final DecommissionDevice decommissioning;
    private final ReadDevices reading;
    private final FleetDomain domain;
    private final Optional<String> rootCaPem;

    DevicesController(
            OnboardDevice onboarding,
            RotateCertificate rotation,
            DecommissionDevice decommissioning,
            ReadDevices reading,
            RegionProperties region,
            OnboardingProperties settings) {
        this.onboarding = onboarding;
        this.rotation = rotation;
        this.decommissioning = decommissioning;
        this.reading = reading;
        this.domain = region.fleetDomain();
        this.rootCaPem = Optional.ofNullable(settings.rootCa()).map(DevicesController::read);
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("iotdr.onboarding.root-ca cannot be read: " + resource, e);
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Provisioned> onboard(
            @RequestHeader(IDEMPOTENCY_KEY) String key, @Valid @RequestBody OnboardRequest body) {
        ProvisionedDevice device = onboarding.onboard(new OnboardDeviceCommand(
                new IdempotencyKey(key),
                DeviceId.of(body.deviceId()),
                ThingGroupName.of(body.thingGroup()),
                ThingAttributes.of(body.attributes() == null ? Map.of() : body.attributes()),
                Optional.ofNullable(body.csr())));
        return ResponseEntity.created(URI.create("/v1/devices/" + device.deviceId()))
                .header(REPLAYED, Boolean.toString(device.replayed()))
                .body(Provisioned.of(device, domain, rootCaPem.orElse(null)));
    }

    @GetMapping("/{deviceId}")
    Device get(@PathVariable String deviceId) {
        return Device.of(reading.get(DeviceId.of(deviceId)), domain);
    }

    @GetMapping
    Page list(@RequestParam(defaultValue = "50") int limit, @RequestParam Optional<String> cursor) {
        if (limit < 1 || limit > DeviceQueries.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + DeviceQueries.MAX_PAGE + ", was " + limit);
        }
        DeviceRecords.Page page = reading.list(limit, cursor.filter(c -> !c.isBlank()));
        return new Page(
                page.records().stream().map(record -> Device.of(record, domain)).toList(),
                page.nextCursor().orElse(null));
    }

    @DeleteMapping("/{deviceId}")
    Device decommission(@PathVariable String deviceId) {
        return Device.of(decommissioning.decommission(DeviceId.of(deviceId)), domain);
    }

    @PostMapping(path = "/{deviceId}/certificate")
    ResponseEntity<Provisioned> rotate(
            @PathVariable String deviceId,
            @RequestHeader(IDEMPOTENCY_KEY) String key,
            @RequestBody(required = false) RotateRequest body) {
        ProvisionedDevice device = rotation.rotate(new RotateCertificateCommand(
                new IdempotencyKey(key),
                DeviceId.of(deviceId),
                Optional.ofNullable(body).map(RotateRequest::csr)));
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(REPLAYED, Boolean.toString(device.replayed()))
                .body(Provisioned.of(device, domain, rootCaPem.orElse(null)));
    }
}
