package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRecords.RecordConflictException;
import dev.iotdr.onboarding.devices.application.Problems.DeviceAlreadyRegistered;
import dev.iotdr.onboarding.devices.application.Problems.DeviceChangingElsewhere;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDevice;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDeviceCommand;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.ThingName;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onboarding saga, top to bottom: look at the device's record; claim the device over it; create the
 * group, certificate (recorded before anything else), policy attachment, thing, principal attachment and
 * group membership; write the device record (the commit); only then activate the certificate; done. Each
 * step is idempotent and its effect is recorded before the next, so any attempt can resume any other's
 * work. The certificate stays INACTIVE until the record names it, so nothing in this region (replication's
 * clean-up included) ever sees an active certificate that no record explains.
 */
public final class OnboardingSaga implements OnboardDevice {
    private static final Logger log = LoggerFactory.getLogger(OnboardingSaga.class);

    private final DeviceRegistry registry;
    private final DeviceRecords records;
    private final ProvisioningRequests requests;
    private final RecordsElsewhere elsewhere;
    private final CsrInspector csrs;
    private final SagaStart start;
    private final CertificateIssuance issuance;
    private final Compensation compensation;
    private final SagaAnswers answers;
    private final ProvisioningSettings settings;
    private final Clock clock;

    OnboardingSaga(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            RecordsElsewhere elsewhere,
            CsrInspector csrs,
            SagaStart start,
            CertificateIssuance issuance,
            Compensation compensation,
            SagaAnswers answers,
            ProvisioningSettings settings,
            Clock clock) {
        this.registry = registry;
        this.records = records;
        this.requests = requests;
        this.elsewhere = elsewhere;
        this.csrs = csrs;
        this.start = start;
        this.issuance = issuance;
        this.compensation = compensation;
        this.answers = answers;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public ProvisionedDevice onboard(OnboardDeviceCommand command) {
        Optional<PublicKey> csrKey = command.csrPem().map(csrs::inspect);
        SagaAttempt attempt = start.begin(command.key(), command.fingerprint(), Operation.ONBOARD, command.deviceId());
        if (attempt.saga().status() == Status.COMPLETED) {
            return answers.replay(attempt.saga());
        }
        try {
            boolean resumed = attempt.saga().status() != Status.IN_PROGRESS;
            if (!resumed) {
                provision(attempt, command, csrKey);
            }
            finishCommitted(attempt, resumed);
            log.info(
                    "device {} onboarded in {} (certificate {})",
                    command.deviceId(),
                    settings.region(),
                    attempt.saga().certificate().map(DeviceCertificate::id).orElse(null));
            return answers.fresh(attempt);
        } catch (DeviceAlreadyRegistered refused) {
            compensation.refuse(attempt, refused.getMessage());
            throw refused;
        } catch (SagaTakenOver overtaken) {
            throw SagaStart.overtaken();
        } catch (RuntimeException failure) {
            compensation.afterFailure(attempt, failure);
            throw failure;
        }
    }

    /**
     * After the record is written: the certificate may work now; the saga is done. Idempotent. A saga
     * resumed by a retry or the sweeper first checks that the record is still the one it wrote: if another
     * region's record replaced it (a concurrent onboarding that ranks first) its certificate is never
     * activated and the request is refused instead.
     */
    void finishCommitted(SagaAttempt attempt, boolean verify) {
        DeviceId device = attempt.saga().deviceId();
        if (verify) {
            DeviceRecord current = records.find(device).orElse(null);
            if (current == null || !attempt.saga().wrote(current)) {
                throw new DeviceAlreadyRegistered("device " + device + " was registered concurrently"
                        + (current == null ? "" : " in " + current.originRegion())
                        + "; this request's certificate was withdrawn");
            }
            settleWithRivals(current);
        }
        DeviceCertificate certificate = attempt.saga().certificate().orElseThrow();
        attempt.hold();
        registry.setCertificateStatus(certificate.id(), CertificateStatus.ACTIVE);
        attempt.save(attempt.saga().completed(clock.instant()));
    }

    private void provision(SagaAttempt attempt, OnboardDeviceCommand command, Optional<PublicKey> csrKey) {
        DeviceId device = command.deviceId();

        // 1. The record first: the device may be ours already, live (someone else's), or a tombstone.
        Optional<DeviceRecord> existing = records.find(device);
        long tombstoneVersion = 0;
        if (existing.isPresent()) {
            DeviceRecord record = existing.get();
            if (attempt.saga().wrote(record)) {
                attempt.save(attempt.saga().committedAt(record.version()));
                settleWithRivals(record); // an earlier attempt wrote the record and stopped before saying so
                return;
            }
            if (!record.isTombstone()) {
                throw new DeviceAlreadyRegistered("device " + device + " is already registered (version "
                        + record.version() + ", from " + record.originRegion() + ")");
            }
            tombstoneVersion = record.version();
        }

        // 2. The claim, over that generation: a decommission anywhere since supersedes older claims.
        claim(attempt, device, command.key(), tombstoneVersion);

        // 3. What the device needs in IoT; the certificate stays INACTIVE until the record names it.
        registry.ensureThingGroup(command.thingGroup());
        DeviceCertificate certificate = issuance.issueOnce(attempt, csrKey, command.csrPem());
        attempt.hold();
        registry.attachPolicy(settings.devicePolicy(), certificate.arn());
        ThingName thing = device.thingName();
        if (!attempt.saga().thingCreated()) {
            // Mark first: a thing left by a crash right after CreateThing is still ours to remove.
            attempt.save(attempt.saga().withThingCreated());
        }
        attempt.hold();
        registry.ensureThing(thing, command.attributes());
        attempt.hold();
        registry.attachThingPrincipal(thing, certificate.arn());
        attempt.hold();
        registry.addThingToGroup(thing, command.thingGroup());

        // 4. Not changed in another region in a way replication has not brought here yet: checked right
        // before the commit, so that the window in which two regions both commit is one local write.
        attempt.fence();
        for (DeviceRecord other : elsewhere.find(device).values()) {
            if (other.version() > tombstoneVersion) {
                if (other.isTombstone()) {
                    // temporary: undone (not refused), so a retry with the same key starts over once
                    // replication has brought the tombstone here
                    throw new DeviceChangingElsewhere(
                            "device " + device + " was decommissioned in " + other.originRegion() + " (version "
                                    + other.version() + ") and that has not reached this region yet; retry"
                                    + " shortly with the same Idempotency-Key",
                            SagaStart.IN_PROGRESS_RETRY_AFTER.multipliedBy(5));
                }
                throw new DeviceAlreadyRegistered("device " + device + " is already registered in "
                        + other.originRegion() + " (version " + other.version() + ")");
            }
        }

        // 5. The commit: the record, conditional on the device state seen in step 1.
        Instant now = clock.instant();
        DeviceRecord record = new DeviceRecord(
                device,
                thing,
                Set.of(command.thingGroup()),
                command.attributes(),
                certificate.withStatus(CertificateStatus.ACTIVE),
                List.of(),
                settings.devicePolicy(),
                DeviceStatus.ACTIVE,
                tombstoneVersion + 1,
                settings.region(),
                now,
                now);
        attempt.recordWriteSent = true;
        try {
            records.insert(record, tombstoneVersion);
        } catch (RecordConflictException conflict) {
            Optional<DeviceRecord> winner = records.find(device);
            if (winner.isPresent() && attempt.saga().wrote(winner.get())) {
                attempt.save(attempt.saga().committedAt(winner.get().version()));
                settleWithRivals(winner.get()); // our write applied before it failed
                return;
            }
            attempt.recordWriteSent = false; // refused: the table holds someone else's record, not ours
            throw new DeviceAlreadyRegistered("device " + device + " was registered concurrently (another region?)");
        }
        attempt.save(attempt.saga().committedAt(record.version()));

        // 6. Another region may have accepted the device at the same moment: the record that ranks first
        // everywhere wins; a loser adopts the winner's record here and withdraws its own certificate, which
        // was never active.
        settleWithRivals(record);
    }

    private void settleWithRivals(DeviceRecord ours) {
        DeviceRecord winner = ours;
        for (DeviceRecord rival : elsewhere.find(ours.deviceId()).values()) {
            if (!rival.isTombstone()
                    && rival.version() >= ours.version()
                    && DeviceRecord.PRECEDENCE.compare(rival, winner) > 0) {
                winner = rival;
            }
        }
        if (winner == ours) {
            return;
        }
        try {
            records.replace(winner, ours.version());
        } catch (RecordConflictException changedMeanwhile) {
            // replication brought it (or something newer) first
        }
        throw new DeviceAlreadyRegistered("device " + ours.deviceId() + " was registered concurrently in "
                + winner.originRegion() + ", whose registration wins; this request's certificate was withdrawn");
    }

    private void claim(SagaAttempt attempt, DeviceId device, IdempotencyKey key, long generation) {
        Optional<IdempotencyKey> owner =
                requests.claim(device, key, attempt.saga().attempt(), generation);
        if (owner.isEmpty()) {
            return;
        }
        if (owner.get().equals(key)) {
            throw new SagaTakenOver("a later attempt of this request claimed device " + device, null);
        }
        throw new DeviceAlreadyRegistered(
                "device " + device + " is registered (or being registered) by another request");
    }
}
