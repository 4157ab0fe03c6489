package dev.iotdr.onboarding.devices.application;

import dev.iotdr.onboarding.devices.application.DeviceRecords.RecordConflictException;
import dev.iotdr.onboarding.devices.application.DeviceRegistry.IssuedKeys;
import dev.iotdr.onboarding.devices.application.Problems.DeviceAlreadyRegistered;
import dev.iotdr.onboarding.devices.application.Problems.DeviceNotFound;
import dev.iotdr.onboarding.devices.application.Problems.DeviceStateConflict;
import dev.iotdr.onboarding.devices.application.Problems.IdempotencyKeyReused;
import dev.iotdr.onboarding.devices.application.Problems.RequestInProgress;
import dev.iotdr.onboarding.devices.application.ProvisioningRequests.StaleRequestException;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDevice;
import dev.iotdr.onboarding.devices.application.UseCases.OnboardDeviceCommand;
import dev.iotdr.onboarding.devices.application.UseCases.ProvisionedDevice;
import dev.iotdr.onboarding.devices.application.UseCases.RecoverAbandonedRequests;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificate;
import dev.iotdr.onboarding.devices.application.UseCases.RotateCertificateCommand;
import dev.iotdr.onboarding.devices.domain.IdempotencyKey;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Operation;
import dev.iotdr.onboarding.devices.domain.ProvisioningRequest.Status;
import dev.iotdr.onboarding.devices.domain.SealedSecret;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import dev.iotdr.shared.domain.DeviceStatus;
import dev.iotdr.shared.domain.ThingName;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onboarding and rotation sagas (see the package documentation for the rules). Each step is idempotent
 * and its effect is recorded before the next, so any attempt can resume any other's work; an attempt holds
 * the saga through a lease so that two never run it at once.
 */
public final class DeviceProvisioning implements OnboardDevice, RotateCertificate, RecoverAbandonedRequests {
    private static final Logger log = LoggerFactory.getLogger(DeviceProvisioning.class);
    private static final Duration IN_PROGRESS_RETRY_AFTER = Duration.ofSeconds(1);

    private final DeviceRegistry registry;
    private final DeviceRecords records;
    private final ProvisioningRequests requests;
    private final PrivateKeySealer sealer;
    private final CsrInspector csrs;
    private final ProvisioningSettings settings;
    private final Clock clock;

    public DeviceProvisioning(
            DeviceRegistry registry,
            DeviceRecords records,
            ProvisioningRequests requests,
            PrivateKeySealer sealer,
            CsrInspector csrs,
            ProvisioningSettings settings,
            Clock clock) {
        this.registry = registry;
        this.records = records;
        this.requests = requests;
        this.sealer = sealer;
        this.csrs = csrs;
        this.settings = settings;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- onboarding

    @Override
    public ProvisionedDevice onboard(OnboardDeviceCommand command) {
        Optional<PublicKey> csrKey = command.csrPem().map(csrs::inspect);
        ProvisioningRequest saga = begin(command.key(), command.fingerprint(), Operation.ONBOARD, command.deviceId());
        if (saga.status() == Status.COMPLETED) {
            return replay(saga);
        }
        Attempt attempt = new Attempt(saga);
        try {
            if (saga.status() == Status.IN_PROGRESS) {
                provision(attempt, command, csrKey);
            }
            attempt.save(attempt.saga.completed(clock.instant()));
            log.info(
                    "device {} onboarded in {} (certificate {})",
                    command.deviceId(),
                    settings.region(),
                    attempt.saga.certificate().map(DeviceCertificate::id).orElse(null));
            return result(attempt.saga, attempt.privateKey(), false);
        } catch (DeviceAlreadyRegistered refused) {
            reject(attempt, refused.getMessage());
            throw refused;
        } catch (RuntimeException failure) {
            undoUnlessCommitted(attempt, failure);
            throw failure;
        }
    }

    private void provision(Attempt attempt, OnboardDeviceCommand command, Optional<PublicKey> csrKey) {
        DeviceId device = command.deviceId();
        IdempotencyKey key = command.key();
        Optional<IdempotencyKey> owner = requests.claim(device, key);
        if (owner.isPresent()) {
            throw new DeviceAlreadyRegistered(
                    "device " + device + " is registered (or being registered) by another request");
        }
        Optional<DeviceRecord> existing = records.find(device);
        long tombstoneVersion = 0;
        if (existing.isPresent()) {
            DeviceRecord record = existing.get();
            if (isOurs(record, attempt.saga)) {
                attempt.save(attempt.saga.committedAt(record.version()));
                return; // an earlier attempt wrote the record and stopped before saying so
            }
            if (!record.isTombstone()) {
                throw new DeviceAlreadyRegistered("device " + device + " is already registered (version "
                        + record.version() + ", from " + record.originRegion() + ")");
            }
            tombstoneVersion = record.version();
        }
        registry.ensureThingGroup(command.thingGroup());
        DeviceCertificate certificate = issueOnce(attempt, csrKey, command.csrPem());
        registry.attachPolicy(settings.devicePolicy(), certificate.arn());
        ThingName thing = device.thingName();
        if (!attempt.saga.thingCreated()) {
            // Mark first: a thing left by a crash right after CreateThing is still ours to remove.
            attempt.save(attempt.saga.withThingCreated());
        }
        registry.ensureThing(thing, command.attributes());
        registry.attachThingPrincipal(thing, certificate.arn());
        registry.addThingToGroup(thing, command.thingGroup());
        registry.setCertificateStatus(certificate.id(), CertificateStatus.ACTIVE);
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
            if (winner.isPresent() && isOurs(winner.get(), attempt.saga)) {
                attempt.save(attempt.saga.committedAt(winner.get().version()));
                return;
            }
            attempt.recordWriteSent = false; // refused: the table holds someone else's record, not ours
            attempt.keepThing = true; // the winner's device is this thing too
            throw new DeviceAlreadyRegistered("device " + device + " was registered concurrently (another region?)");
        }
        attempt.save(attempt.saga.committedAt(record.version()));
    }

    // ---------------------------------------------------------------- rotation

    @Override
    public ProvisionedDevice rotate(RotateCertificateCommand command) {
        Optional<PublicKey> csrKey = command.csrPem().map(csrs::inspect);
        ProvisioningRequest saga = begin(command.key(), command.fingerprint(), Operation.ROTATE, command.deviceId());
        if (saga.status() == Status.COMPLETED) {
            return replay(saga);
        }
        Attempt attempt = new Attempt(saga);
        try {
            if (saga.status() == Status.IN_PROGRESS) {
                replaceCertificate(attempt, command, csrKey);
            }
            retireReplaced(attempt.saga);
            attempt.save(attempt.saga.completed(clock.instant()));
            return result(attempt.saga, attempt.privateKey(), false);
        } catch (RuntimeException failure) {
            undoUnlessCommitted(attempt, failure);
            throw failure;
        }
    }

    private void replaceCertificate(Attempt attempt, RotateCertificateCommand command, Optional<PublicKey> csrKey) {
        DeviceId device = command.deviceId();
        DeviceRecord current =
                records.find(device).orElseThrow(() -> new DeviceNotFound("device " + device + " is not registered"));
        if (isOurs(current, attempt.saga)) {
            attempt.save(attempt.saga.committedAt(current.version()));
            return;
        }
        if (current.isTombstone()) {
            throw new DeviceStateConflict("device " + device + " is decommissioned; onboard it again instead");
        }
        if (attempt.saga.replacedCertificate().isEmpty()) {
            attempt.save(attempt.saga.replacing(current.certificate().id()));
        } else if (!attempt.saga
                .replacedCertificate()
                .get()
                .equals(current.certificate().id())) {
            throw new DeviceStateConflict(
                    "device " + device + "'s certificate changed while rotating; retry with a new key");
        }
        DeviceCertificate replacement = issueOnce(attempt, csrKey, command.csrPem());
        ThingName thing = current.thingName();
        registry.attachPolicy(settings.devicePolicy(), replacement.arn());
        registry.attachThingPrincipal(thing, replacement.arn());
        registry.setCertificateStatus(replacement.id(), CertificateStatus.ACTIVE);
        DeviceRecord next = current.withRotatedCertificate(
                replacement.withStatus(CertificateStatus.ACTIVE), settings.region(), clock.instant());
        attempt.recordWriteSent = true;
        try {
            records.replace(next, current.version());
        } catch (RecordConflictException conflict) {
            Optional<DeviceRecord> now = records.find(device);
            if (now.isPresent() && isOurs(now.get(), attempt.saga)) {
                attempt.save(attempt.saga.committedAt(now.get().version()));
                return;
            }
            attempt.recordWriteSent = false;
            throw new DeviceStateConflict("device " + device + " changed while rotating; retry with a new key");
        }
        attempt.save(attempt.saga.committedAt(next.version()));
    }

    /** After a rotation is committed: the old certificate stops working here. Idempotent. */
    private void retireReplaced(ProvisioningRequest saga) {
        if (saga.operation() != Operation.ROTATE || saga.replacedCertificate().isEmpty()) {
            return;
        }
        CertificateId old = saga.replacedCertificate().get();
        String oldArn = arnOf(old, saga);
        registry.setCertificateStatus(old, CertificateStatus.INACTIVE);
        registry.detachThingPrincipal(saga.deviceId().thingName(), oldArn);
        registry.detachPolicy(settings.devicePolicy(), oldArn);
    }

    // ---------------------------------------------------------------- recovery

    @Override
    public int recoverAbandoned() {
        Instant now = clock.instant();
        int recovered = 0;
        for (ProvisioningRequest stale : requests.unfinished(now)) {
            if (stale.createdAt().plus(settings.abandonedAfter()).isAfter(now)
                    && stale.status() != Status.ROLLBACK_PENDING) {
                continue; // its caller may still retry
            }
            Attempt attempt;
            try {
                attempt = new Attempt(requests.update(stale.leasedUntil(now.plus(settings.lease()))));
            } catch (StaleRequestException raced) {
                continue;
            }
            try {
                Optional<DeviceRecord> record = records.find(stale.deviceId());
                if (attempt.saga.committed()
                        || record.filter(r -> isOurs(r, attempt.saga)).isPresent()) {
                    if (!attempt.saga.committed()) {
                        attempt.save(
                                attempt.saga.committedAt(record.orElseThrow().version()));
                    }
                    retireReplaced(attempt.saga);
                    attempt.save(attempt.saga.completed(clock.instant()));
                } else {
                    undo(attempt);
                }
                recovered++;
            } catch (RuntimeException e) {
                log.warn("could not recover abandoned request for device {}: {}", stale.deviceId(), e.getMessage());
            }
        }
        return recovered;
    }

    // ---------------------------------------------------------------- shared steps

    /** Finds or starts the saga for this key and takes its lease, or says why not. */
    private ProvisioningRequest begin(IdempotencyKey key, String fingerprint, Operation operation, DeviceId device) {
        Instant now = clock.instant();
        Optional<ProvisioningRequest> found = requests.find(key).filter(existing -> !existing.expired(now));
        if (found.isEmpty()) {
            try {
                return requests.create(
                        ProvisioningRequest.start(
                                key,
                                fingerprint,
                                operation,
                                device,
                                now,
                                settings.idempotencyWindow(),
                                settings.lease()),
                        now);
            } catch (StaleRequestException raced) {
                throw new RequestInProgress(
                        "a request with this Idempotency-Key is in progress", IN_PROGRESS_RETRY_AFTER);
            }
        }
        ProvisioningRequest existing = found.get();
        if (!existing.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReused("this Idempotency-Key was used for a different request; use a new key");
        }
        switch (existing.status()) {
            case COMPLETED -> {
                return existing;
            }
            case REJECTED ->
                throw new DeviceAlreadyRegistered(existing.rejection().orElse("request was refused"));
            default -> {
                if (existing.leased(now)) {
                    throw new RequestInProgress(
                            "a request with this Idempotency-Key is in progress", IN_PROGRESS_RETRY_AFTER);
                }
            }
        }
        ProvisioningRequest leased;
        try {
            leased = requests.update(existing.leasedUntil(now.plus(settings.lease())));
        } catch (StaleRequestException raced) {
            throw new RequestInProgress("a request with this Idempotency-Key is in progress", IN_PROGRESS_RETRY_AFTER);
        }
        if (leased.status() == Status.ROLLBACK_PENDING) {
            Attempt cleanup = new Attempt(leased);
            undo(cleanup);
            leased = cleanup.saga;
        }
        if (leased.status() == Status.ROLLED_BACK) {
            leased = requests.update(leased.restarted(now.plus(settings.lease())));
        }
        return leased;
    }

    /** Issues the saga's certificate unless an earlier attempt did; records it before anything else. */
    private DeviceCertificate issueOnce(Attempt attempt, Optional<PublicKey> csrKey, Optional<String> csrPem) {
        if (attempt.saga.certificate().isPresent()) {
            return attempt.saga.certificate().get();
        }
        DeviceCertificate certificate;
        Optional<SealedSecret> sealed = Optional.empty();
        if (csrPem.isPresent()) {
            certificate = registry.createCertificateFromCsr(csrPem.get());
            attempt.save(attempt.saga.withCertificate(certificate, Optional.empty()));
            if (settings.verifyIssuedCertificateKey()) {
                csrs.requireIssuedFor(csrKey.orElseThrow(), certificate.pem());
            }
        } else {
            IssuedKeys keys = registry.createKeysAndCertificate();
            certificate = keys.certificate();
            sealed = Optional.of(sealer.seal(keys.privateKeyPem(), sealContext(attempt.saga)));
            attempt.issuedPrivateKey = keys.privateKeyPem();
            attempt.save(attempt.saga.withCertificate(certificate, sealed));
        }
        return certificate;
    }

    private void reject(Attempt attempt, String reason) {
        try {
            undo(attempt);
            attempt.save(attempt.saga.rejected(reason, clock.instant()));
        } catch (RuntimeException e) {
            log.warn(
                    "could not record the refusal of request for device {}: {}",
                    attempt.saga.deviceId(),
                    e.getMessage());
        }
    }

    /**
     * Undoes what the attempt created, unless the device record was written (then the saga only moves
     * forward). When the record write itself failed, the table says which: only a record that is not ours
     * lets us undo; if the table cannot be read either, the saga is left for a retry or the sweeper.
     */
    private void undoUnlessCommitted(Attempt attempt, RuntimeException failure) {
        boolean mayBeCommitted = attempt.saga.committed();
        if (!mayBeCommitted && attempt.recordWriteSent) {
            try {
                mayBeCommitted = records.find(attempt.saga.deviceId())
                        .filter(record -> isOurs(record, attempt.saga))
                        .isPresent();
            } catch (RuntimeException unknown) {
                failure.addSuppressed(unknown);
                mayBeCommitted = true;
            }
        }
        if (mayBeCommitted) {
            log.warn(
                    "request for device {} failed after its record was (or may have been) written; a retry "
                            + "finishes it: {}",
                    attempt.saga.deviceId(),
                    failure.getMessage());
            releaseLease(attempt, failure);
            return;
        }
        try {
            undo(attempt);
        } catch (RuntimeException undoFailure) {
            failure.addSuppressed(undoFailure);
            releaseLease(attempt, failure);
        }
    }

    /** Lets the caller's retry resume at once instead of waiting for the lease to run out. */
    private void releaseLease(Attempt attempt, RuntimeException failure) {
        try {
            attempt.save(attempt.saga.leasedUntil(clock.instant()));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Removes everything the saga created, in reverse order, then releases the claim. If any step fails the
     * saga is parked as ROLLBACK_PENDING (what it created stays recorded) for a retry or the sweeper.
     */
    private void undo(Attempt attempt) {
        ProvisioningRequest saga = attempt.saga;
        ThingName thing = saga.deviceId().thingName();
        try {
            if (saga.certificate().isPresent()) {
                DeviceCertificate certificate = saga.certificate().get();
                registry.setCertificateStatus(certificate.id(), CertificateStatus.INACTIVE);
                registry.detachThingPrincipal(thing, certificate.arn());
                registry.detachPolicy(settings.devicePolicy(), certificate.arn());
                registry.deleteCertificate(certificate.id());
            }
            if (saga.thingCreated() && !attempt.keepThing) {
                registry.deleteThing(thing);
            }
            if (saga.operation() == Operation.ONBOARD) {
                requests.release(saga.deviceId(), saga.key()); // only if this key holds the claim
            }
            attempt.save(saga.rolledBack(clock.instant()));
            log.info("request for device {} undone: nothing it created remains", saga.deviceId());
        } catch (RuntimeException e) {
            try {
                if (attempt.saga.status() != Status.ROLLBACK_PENDING) {
                    attempt.save(attempt.saga.rollbackPending());
                }
            } catch (RuntimeException parkFailure) {
                e.addSuppressed(parkFailure);
            }
            throw e;
        }
    }

    private ProvisionedDevice replay(ProvisioningRequest saga) {
        Optional<String> privateKey = saga.privateKey().map(secret -> sealer.unseal(secret, sealContext(saga)));
        return result(saga, privateKey, true);
    }

    private ProvisionedDevice result(ProvisioningRequest saga, Optional<String> privateKey, boolean replayed) {
        DeviceCertificate certificate = saga.certificate()
                .orElseThrow(() -> new IllegalStateException("completed request without certificate"))
                .withStatus(CertificateStatus.ACTIVE);
        return new ProvisionedDevice(
                saga.deviceId(),
                saga.deviceId().thingName(),
                certificate,
                privateKey,
                settings.region(),
                DeviceStatus.ACTIVE,
                saga.recordVersion(),
                replayed);
    }

    private static boolean isOurs(DeviceRecord record, ProvisioningRequest saga) {
        return saga.certificate().isPresent()
                && !record.isTombstone()
                && record.certificate().id().equals(saga.certificate().get().id());
    }

    private String arnOf(CertificateId certificate, ProvisioningRequest saga) {
        String template = saga.certificate().orElseThrow().arn();
        return template.substring(0, template.lastIndexOf('/') + 1) + certificate.value();
    }

    private static String sealContext(ProvisioningRequest saga) {
        return saga.key().value() + "|" + saga.deviceId().value();
    }

    /** One attempt at a saga: the latest stored state, and what this attempt did that is not stored. */
    private final class Attempt {
        private ProvisioningRequest saga;
        private boolean recordWriteSent;
        private boolean keepThing;
        private String issuedPrivateKey;

        Attempt(ProvisioningRequest saga) {
            this.saga = saga;
        }

        void save(ProvisioningRequest next) {
            saga = requests.update(next);
        }

        Optional<String> privateKey() {
            if (issuedPrivateKey != null) {
                return Optional.of(issuedPrivateKey);
            }
            return saga.privateKey().map(secret -> sealer.unseal(secret, sealContext(saga)));
        }
    }
}
