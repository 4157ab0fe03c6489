package dev.iotdr.replication.registry.application;

import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * This region's IoT registry, as replication needs it: idempotent ensures, and reads for audit and
 * readiness. Certificate ARNs are this region's.
 */
public interface RegionRegistry {

    void ensureThingGroup(ThingGroupName group);

    /** Creates the thing or makes its attributes exactly these. */
    void ensureThing(ThingName thing, ThingAttributes attributes);

    /**
     * Registers the certificate without a CA (multi-account registration) with this status; an "already
     * registered" answer is success.
     *
     * @return the certificate's id and ARN in this region
     */
    RegisteredCertificate ensureCertificate(String pem, CertificateStatus status);

    void setCertificateStatus(CertificateId certificate, CertificateStatus status);

    void attachPolicy(PolicyName policy, String certificateArn);

    void detachPolicy(PolicyName policy, String certificateArn);

    void attachThingPrincipal(ThingName thing, String certificateArn);

    void detachThingPrincipal(ThingName thing, String certificateArn);

    /** Makes the thing a member of exactly these groups (of the fleet's groups). */
    void ensureGroups(ThingName thing, Set<ThingGroupName> groups);

    /**
     * Deletes the thing if no principal is attached to it; one that is keeps the thing (IoT refuses to delete a
     * thing with principals). An absent thing counts as deleted.
     *
     * @return false if the thing was kept because a principal is attached
     */
    boolean deleteThing(ThingName thing);

    Optional<ThingView> describeThing(ThingName thing);

    Optional<CertificateView> describeCertificate(CertificateId certificate);

    boolean policyAttached(PolicyName policy, String certificateArn);

    /** One page of the things of the fleet's thing type in this region, after {@code token} (none: first). */
    ThingPage fleetThings(Optional<String> token);

    /** Things of a page and the token of the next (none: last page). */
    record ThingPage(List<ThingName> things, Optional<String> next) {
        public ThingPage {
            things = List.copyOf(things);
        }
    }

    /** A certificate's id and ARN in this region. */
    record RegisteredCertificate(CertificateId id, String arn) {}

    /** A thing as the registry holds it. */
    record ThingView(ThingName name, ThingAttributes attributes, Set<ThingGroupName> groups, Set<String> principals) {}

    /**
     * A certificate as the registry holds it; {@code createdAt} is when it was created or registered in this
     * region ({@link Instant#EPOCH} if IoT does not say).
     */
    record CertificateView(CertificateId id, String arn, String pem, CertificateStatus status, Instant createdAt) {}
}
