package dev.iotdr.onboarding.devices.domain;

import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.DeviceCertificate;
import dev.iotdr.shared.domain.DeviceId;
import dev.iotdr.shared.domain.DeviceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable state of one onboarding or rotation saga, keyed by the caller's idempotency key: what the
 * request was (its fingerprint), how far it got, what it created (so that it can be resumed or undone), and
 * the answer to replay.
 *
 * @param revision bumped by the store on every write; writes are conditional on it, which fences every write
 *     of an attempt that another attempt has overtaken
 * @param attempt the fencing token of the attempt that holds the saga: 1 for the attempt that started it, one
 *     more for every attempt that took it over (a retry after the lease ran out, or the sweeper); the device
 *     claim carries it, so that an overtaken attempt can never release its successor's claim
 * @param thingCreated this saga created (or took over, under its device claim) the thing
 * @param certificate the certificate this saga created, as issued
 * @param privateKey the server-generated private key, sealed; kept only for the idempotency window
 * @param replacedCertificate for a rotation: the certificate being replaced
 * @param recordVersion the version of the device record this saga wrote; 0 until written
 * @param rejection why the request was refused (replayed as the same refusal)
 * @param leaseUntil the attempt that holds the saga until then; others answer "in progress"
 */
public record ProvisioningRequest(
        IdempotencyKey key,
        String fingerprint,
        Operation operation,
        DeviceId deviceId,
        Status status,
        long revision,
        long attempt,
        boolean thingCreated,
        Optional<DeviceCertificate> certificate,
        Optional<SealedSecret> privateKey,
        Optional<CertificateId> replacedCertificate,
        long recordVersion,
        Optional<String> rejection,
        Instant createdAt,
        Instant expiresAt,
        Instant leaseUntil) {

    /** What the saga does. */
    public enum Operation {
        ONBOARD,
        ROTATE
    }

    /** Where the saga is. */
    public enum Status {
        /** Steps are being taken; nothing is committed. */
        IN_PROGRESS,
        /** The device record is written; only forward steps remain. */
        COMMITTED,
        /** Done; the answer can be replayed. */
        COMPLETED,
        /** Refused (device exists, version changed); replayed as the same refusal. */
        REJECTED,
        /** A failure happened and undoing it failed too; the sweeper or the next retry finishes the undo. */
        ROLLBACK_PENDING,
        /** Undone after a failure; a retry with the same key starts over. */
        ROLLED_BACK
    }

    public ProvisioningRequest {
        if (key == null || fingerprint == null || operation == null || deviceId == null || status == null) {
            throw new IllegalArgumentException("key, fingerprint, operation, device id and status are required");
        }
        if (certificate == null || privateKey == null || replacedCertificate == null || rejection == null) {
            throw new IllegalArgumentException("optional fields are Optional.empty(), never null");
        }
        if (createdAt == null || expiresAt == null || leaseUntil == null || expiresAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("created, expires and lease times are required, expiry after creation");
        }
    }

    /** A new saga, held by the attempt that starts it until {@code leaseUntil}. */
    public static ProvisioningRequest start(
            IdempotencyKey key,
            String fingerprint,
            Operation operation,
            DeviceId deviceId,
            Instant now,
            Duration window,
            Duration lease) {
        return new ProvisioningRequest(
                key,
                fingerprint,
                operation,
                deviceId,
                Status.IN_PROGRESS,
                0,
                1,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Optional.empty(),
                now,
                now.plus(window),
                now.plus(lease));
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean leased(Instant now) {
        return now.isBefore(leaseUntil);
    }

    public boolean committed() {
        return status == Status.COMMITTED || status == Status.COMPLETED;
    }

    /** In progress, committed or with a pending rollback: an attempt still has work to do. */
    public boolean unfinished() {
        return status == Status.IN_PROGRESS || status == Status.COMMITTED || status == Status.ROLLBACK_PENDING;
    }

    /** Taken over by a new attempt (a retry after the lease ran out, or the sweeper): the next fencing token. */
    public ProvisioningRequest takenOver(Instant until) {
        return new ProvisioningRequest(
                key,
                fingerprint,
                operation,
                deviceId,
                status,
                revision,
                attempt + 1,
                thingCreated,
                certificate,
                privateKey,
                replacedCertificate,
                recordVersion,
                rejection,
                createdAt,
                expiresAt,
                until);
    }

    /** Whether {@code record} is the one this saga wrote: live, and naming this saga's certificate. */
    public boolean wrote(DeviceRecord record) {
        return certificate.isPresent()
                && !record.isTombstone()
                && record.certificate().id().equals(certificate.get().id());
    }

    public ProvisioningRequest leasedUntil(Instant until) {
        return with(
                status, thingCreated, certificate, privateKey, replacedCertificate, recordVersion, rejection, until);
    }

    public ProvisioningRequest withCertificate(DeviceCertificate issued, Optional<SealedSecret> sealedKey) {
        return with(
                status,
                thingCreated,
                Optional.of(issued),
                sealedKey,
                replacedCertificate,
                recordVersion,
                rejection,
                leaseUntil);
    }

    public ProvisioningRequest replacing(CertificateId old) {
        return with(
                status, thingCreated, certificate, privateKey, Optional.of(old), recordVersion, rejection, leaseUntil);
    }

    public ProvisioningRequest withThingCreated() {
        return with(status, true, certificate, privateKey, replacedCertificate, recordVersion, rejection, leaseUntil);
    }

    public ProvisioningRequest committedAt(long version) {
        return with(
                Status.COMMITTED,
                thingCreated,
                certificate,
                privateKey,
                replacedCertificate,
                version,
                rejection,
                leaseUntil);
    }

    public ProvisioningRequest completed(Instant now) {
        return with(
                Status.COMPLETED,
                thingCreated,
                certificate,
                privateKey,
                replacedCertificate,
                recordVersion,
                rejection,
                now);
    }

    public ProvisioningRequest rejected(String reason, Instant now) {
        return with(
                Status.REJECTED,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Optional.of(reason),
                now);
    }

    public ProvisioningRequest rollbackPending() {
        return with(
                Status.ROLLBACK_PENDING,
                thingCreated,
                certificate,
                privateKey,
                replacedCertificate,
                recordVersion,
                rejection,
                leaseUntil);
    }

    /** Undone: nothing it created remains, so it forgets what it created. */
    public ProvisioningRequest rolledBack(Instant now) {
        return with(Status.ROLLED_BACK, false, Optional.empty(), Optional.empty(), Optional.empty(), 0, rejection, now);
    }

    /** A retry of a rolled-back saga starts over under the same key. */
    public ProvisioningRequest restarted(Instant leaseUntil) {
        return with(
                Status.IN_PROGRESS,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Optional.empty(),
                leaseUntil);
    }

    private ProvisioningRequest with(
            Status newStatus,
            boolean newThingCreated,
            Optional<DeviceCertificate> newCertificate,
            Optional<SealedSecret> newPrivateKey,
            Optional<CertificateId> newReplaced,
            long newRecordVersion,
            Optional<String> newRejection,
            Instant newLeaseUntil) {
        return new ProvisioningRequest(
                key,
                fingerprint,
                operation,
                deviceId,
                newStatus,
                revision,
                attempt,
                newThingCreated,
                newCertificate,
                newPrivateKey,
                newReplaced,
                newRecordVersion,
                newRejection,
                createdAt,
                expiresAt,
                newLeaseUntil);
    }

    /** The same state as stored at the next revision (the store calls this on a successful write). */
    public ProvisioningRequest atRevision(long newRevision) {
        return new ProvisioningRequest(
                key,
                fingerprint,
                operation,
                deviceId,
                status,
                newRevision,
                attempt,
                thingCreated,
                certificate,
                privateKey,
                replacedCertificate,
                recordVersion,
                rejection,
                createdAt,
                expiresAt,
                leaseUntil);
    }
}
