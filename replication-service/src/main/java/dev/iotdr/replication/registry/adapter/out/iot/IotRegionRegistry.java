package dev.iotdr.replication.registry.adapter.out.iot;

import dev.iotdr.replication.registry.application.RegionRegistry;
import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import dev.iotdr.service.iot.IdempotentIot;
import dev.iotdr.shared.domain.CertificateId;
import dev.iotdr.shared.domain.CertificateStatus;
import dev.iotdr.shared.domain.PolicyName;
import dev.iotdr.shared.domain.ThingAttributes;
import dev.iotdr.shared.domain.ThingGroupName;
import dev.iotdr.shared.domain.ThingName;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.GroupNameAndArn;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.RegisterCertificateWithoutCaResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingAttribute;

/**
 * {@link RegionRegistry} on this region's AWS IoT Core, every call guarded (paced at the IoT quotas,
 * retried, timed). "Already exists" and "not found" answers count as success where the wanted state holds.
 */
final class IotRegionRegistry implements RegionRegistry {
    private final IotClient iot;
    private final GuardedAwsCalls calls;
    private final IdempotentIot idempotent;
    private final String thingType;

    IotRegionRegistry(IotClient iot, GuardedAwsCalls calls, String thingType) {
        this.iot = iot;
        this.calls = calls;
        this.idempotent = new IdempotentIot(iot, calls);
        this.thingType = thingType;
    }

    @Override
    public void ensureThingGroup(ThingGroupName group) {
        idempotent.ensureThingGroup(group.value());
    }

    @Override
    public void ensureThing(ThingName thing, ThingAttributes attributes) {
        Optional<DescribeThingResponse> current = describe(thing);
        if (current.isEmpty()) {
            try {
                calls.run(
                        AwsApi.IOT_CREATE_THING,
                        () -> iot.createThing(r -> r.thingName(thing.value())
                                .thingTypeName(thingType)
                                .attributePayload(a -> a.attributes(attributes.values()))));
                return;
            } catch (ResourceAlreadyExistsException createdMeanwhile) {
                // fall through to make its attributes ours
            }
        } else if (ThingAttributes.of(current.get().attributes()).equals(attributes)) {
            return;
        }
        calls.run(
                AwsApi.IOT_UPDATE_THING,
                () -> iot.updateThing(r -> r.thingName(thing.value())
                        .thingTypeName(thingType)
                        .attributePayload(a -> a.attributes(attributes.values()).merge(false))));
    }

    @Override
    public RegisteredCertificate ensureCertificate(String pem, CertificateStatus status) {
        try {
            RegisterCertificateWithoutCaResponse registered = calls.call(
                    AwsApi.IOT_REGISTER_CERTIFICATE_WITHOUT_CA,
                    () -> iot.registerCertificateWithoutCA(
                            r -> r.certificatePem(pem).status(status.name())));
            return new RegisteredCertificate(CertificateId.of(registered.certificateId()), registered.certificateArn());
        } catch (ResourceAlreadyExistsException already) {
            // Registered before (a replay, or the origin's own registration): success, with the id it names.
            CertificateId id = already.resourceId() != null ? CertificateId.of(already.resourceId()) : idOf(pem);
            CertificateView view = describeCertificate(id)
                    .orElseThrow(
                            () -> new IllegalStateException("certificate " + id + " said to exist but cannot be read"));
            if (view.status() != status) {
                setCertificateStatus(id, status);
            }
            return new RegisteredCertificate(id, view.arn());
        }
    }

    @Override
    public void setCertificateStatus(CertificateId certificate, CertificateStatus status) {
        idempotent.updateCertificate(certificate.value(), status.name());
    }

    @Override
    public void attachPolicy(PolicyName policy, String certificateArn) {
        idempotent.attachPolicy(policy.value(), certificateArn);
    }

    @Override
    public void detachPolicy(PolicyName policy, String certificateArn) {
        idempotent.detachPolicy(policy.value(), certificateArn);
    }

    @Override
    public void attachThingPrincipal(ThingName thing, String certificateArn) {
        idempotent.attachThingPrincipal(thing.value(), certificateArn);
    }

    @Override
    public void detachThingPrincipal(ThingName thing, String certificateArn) {
        idempotent.detachThingPrincipal(thing.value(), certificateArn);
    }

    @Override
    public void ensureGroups(ThingName thing, Set<ThingGroupName> groups) {
        Set<String> current = groupsOf(thing);
        Set<String> wanted = groups.stream().map(ThingGroupName::value).collect(Collectors.toSet());
        for (String group : wanted) {
            if (!current.contains(group)) {
                calls.run(
                        AwsApi.IOT_ADD_THING_TO_THING_GROUP,
                        () -> iot.addThingToThingGroup(
                                r -> r.thingName(thing.value()).thingGroupName(group)));
            }
        }
        for (String group : current) {
            if (!wanted.contains(group)) {
                calls.run(
                        AwsApi.IOT_REMOVE_THING_FROM_THING_GROUP,
                        () -> iot.removeThingFromThingGroup(
                                r -> r.thingName(thing.value()).thingGroupName(group)));
            }
        }
    }

    @Override
    public boolean deleteThing(ThingName thing) {
        try {
            if (!principalsOf(thing).isEmpty()) {
                return false;
            }
        } catch (ResourceNotFoundException gone) {
            return true;
        }
        try {
            idempotent.deleteThing(thing.value());
            return true;
        } catch (InvalidRequestException refused) {
            if (refused.getMessage() != null && refused.getMessage().contains("attached")) {
                return false; // a principal was attached after the listing
            }
            throw refused;
        }
    }

    @Override
    public Optional<ThingView> describeThing(ThingName thing) {
        Optional<DescribeThingResponse> described = describe(thing);
        if (described.isEmpty()) {
            return Optional.empty();
        }
        Set<ThingGroupName> groups =
                groupsOf(thing).stream().map(ThingGroupName::of).collect(Collectors.toSet());
        return Optional.of(new ThingView(
                thing, ThingAttributes.of(described.get().attributes()), groups, new HashSet<>(principalsOf(thing))));
    }

    @Override
    public Optional<CertificateView> describeCertificate(CertificateId certificate) {
        try {
            CertificateDescription description = calls.call(
                            AwsApi.IOT_DESCRIBE_CERTIFICATE,
                            () -> iot.describeCertificate(r -> r.certificateId(certificate.value())))
                    .certificateDescription();
            return Optional.of(new CertificateView(
                    certificate,
                    description.certificateArn(),
                    description.certificatePem(),
                    CertificateStatus.valueOf(description.statusAsString()),
                    description.creationDate() != null ? description.creationDate() : Instant.EPOCH));
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public boolean policyAttached(PolicyName policy, String certificateArn) {
        try {
            return calls
                    .call(
                            AwsApi.IOT_LIST_ATTACHED_POLICIES,
                            () -> iot.listAttachedPolicies(r -> r.target(certificateArn)))
                    .policies()
                    .stream()
                    .anyMatch(attached -> attached.policyName().equals(policy.value()));
        } catch (ResourceNotFoundException absent) {
            return false;
        }
    }

    @Override
    public ThingPage fleetThings(Optional<String> token) {
        var page = calls.call(
                AwsApi.IOT_LIST_THINGS,
                () -> iot.listThings(
                        r -> r.thingTypeName(thingType).maxResults(250).nextToken(token.orElse(null))));
        return new ThingPage(
                page.things().stream()
                        .map(ThingAttribute::thingName)
                        .map(ThingName::of)
                        .toList(),
                Optional.ofNullable(page.nextToken()).filter(next -> !next.isEmpty()));
    }

    private Optional<DescribeThingResponse> describe(ThingName thing) {
        try {
            return Optional.of(
                    calls.call(AwsApi.IOT_DESCRIBE_THING, () -> iot.describeThing(r -> r.thingName(thing.value()))));
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        }
    }

    private Set<String> groupsOf(ThingName thing) {
        try {
            return calls
                    .call(
                            AwsApi.IOT_LIST_THING_GROUPS_FOR_THING,
                            () -> iot.listThingGroupsForThing(r -> r.thingName(thing.value())))
                    .thingGroups()
                    .stream()
                    .map(GroupNameAndArn::groupName)
                    .collect(Collectors.toSet());
        } catch (ResourceNotFoundException absent) {
            return Set.of();
        }
    }

    private List<String> principalsOf(ThingName thing) {
        return calls.call(
                        AwsApi.IOT_LIST_THING_PRINCIPALS,
                        () -> iot.listThingPrincipals(r -> r.thingName(thing.value())))
                .principals();
    }

    /** AWS IoT names a certificate by the SHA-256 of its DER encoding. */
    private static CertificateId idOf(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return CertificateId.ofDer(java.util.Base64.getDecoder().decode(base64));
    }
}
