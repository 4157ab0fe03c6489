package dev.iotdr.dataplane.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.iotdr.dataplane.policy.AttachedPolicies;
import dev.iotdr.dataplane.policy.AttachedThing;
import dev.iotdr.dataplane.policy.ConnectionContext;
import dev.iotdr.dataplane.policy.InvalidPolicyException;
import dev.iotdr.dataplane.policy.IotAction;
import dev.iotdr.dataplane.policy.IotPolicy;
import dev.iotdr.shared.domain.CertificateId;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * IoT Core's rules for a connection, as a HiveMQ extension: who may connect (a client certificate whose id, the
 * SHA-256 of its DER, is registered and ACTIVE in this region; SNI naming this endpoint; a client id that is a thing
 * the certificate is attached to; a policy allowing {@code iot:Connect}), what it may publish, subscribe to and
 * receive (its policies), the lifecycle events published on its behalf, and the rules every accepted message goes
 * through.
 *
 * <p>The policies read when a device connects are the ones its publishes and subscriptions are checked against for
 * the life of that connection (IoT Core, too, caches policy evaluation for a connection); a certificate's status is
 * read again at every connect, at most {@link RegistryView}'s bound old.
 */
public final class IotCoreRules
        implements SimpleAuthenticator,
                PublishAuthorizer,
                SubscriptionAuthorizer,
                PublishOutboundInterceptor,
                ClientLifecycleEventListener {
    private static final Logger log = LoggerFactory.getLogger(IotCoreRules.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SESSION = "iotdr.session";
    private static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);

    /** A connection's place in {@link #connections}: being authenticated, or granted. */
    private sealed interface Slot permits Pending, Grant {}

    /** Authentication started and the registry read is under way. */
    private record Pending() implements Slot {}

    private static final Pending PENDING = new Pending();

    /** What a connection was granted at connect. */
    private record Grant(
            String sessionIdentifier,
            String clientId,
            String certificateId,
            AttachedPolicies policies,
            ConnectionContext connection,
            String ipAddress,
            String arnPrefix)
            implements Slot {}

    private final String region;
    private final List<String> endpointNames;
    private final PrincipalLookup registry;
    private final MessageRoute route;
    private final Clock clock;
    /**
     * Every connection between the start of its authentication and its disconnect, by session. A slot is made
     * pending before the registry is read and only a pending slot becomes a grant, so a connection that times out
     * or drops during the read (its disconnect removes the slot first) never leaves a grant behind.
     */
    private final Map<String, Slot> connections = new ConcurrentHashMap<>();

    private final AtomicInteger granted = new AtomicInteger();

    /** Parsed policies by document text: a fleet shares a handful, so a connection holds references, not copies. */
    private final Map<String, IotPolicy> parsedPolicies = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IotPolicy> eldest) {
            return size() > 10_000;
        }
    };

    private final AtomicLong versions;
    private final Duration authenticationTimeout;

    /**
     * @param endpointNames the names SNI may carry: the custom domain's {@code iot.<domain>}, and a suffix such as
     *     {@code .iot.us-east-1.amazonaws.com} (a leading dot) for the region's own endpoint names
     */
    public IotCoreRules(
            String region, List<String> endpointNames, PrincipalLookup registry, MessageRoute route, Clock clock) {
        this(region, endpointNames, registry, route, clock, AUTHENTICATION_TIMEOUT);
    }

    /** As above, refusing a connect whose registry read takes longer than {@code authenticationTimeout}. */
    IotCoreRules(
            String region,
            List<String> endpointNames,
            PrincipalLookup registry,
            MessageRoute route,
            Clock clock,
            Duration authenticationTimeout) {
        this.authenticationTimeout = authenticationTimeout;
        this.region = region;
        this.endpointNames = List.copyOf(endpointNames);
        this.registry = registry;
        this.route = route;
        this.clock = clock;
        // Monotonic per client id across restarts of this broker, as IoT Core's versionNumber is.
        this.versions = new AtomicLong(clock.millis() * 1000);
    }

    // ---- CONNECT ----

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<ClientTlsInformation> tls = input.getConnectionInformation().getClientTlsInformation();
        Optional<X509Certificate> certificate = tls.flatMap(ClientTlsInformation::getClientCertificate);
        if (certificate.isEmpty()) {
            refuse(output, clientId, "no client certificate");
            return;
        }
        Optional<String> sni = tls.flatMap(ClientTlsInformation::getHostname);
        if (sni.isEmpty() || !namesThisEndpoint(sni.get())) {
            refuse(
                    output,
                    clientId,
                    sni.map(name -> "SNI " + name + " names no endpoint of " + region)
                            .orElse("no SNI (certificates registered without a CA are SNI-only)"));
            return;
        }
        String certificateId;
        try {
            certificateId = certificateId(certificate.get());
        } catch (CertificateEncodingException e) {
            refuse(output, clientId, "unreadable client certificate");
            return;
        }
        String ipAddress = input.getConnectionInformation()
                .getInetAddress()
                .map(InetAddress::getHostAddress)
                .orElse("");
        String session = UUID.randomUUID().toString();
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(SESSION, session);
        connections.put(session, PENDING);
        Async<SimpleAuthOutput> async =
                output.async(authenticationTimeout, TimeoutFallback.FAILURE, ConnackReasonCode.SERVER_UNAVAILABLE);
        registry.principal(certificateId).whenComplete((principal, failure) -> {
            if (async.getStatus() == Async.Status.CANCELED) {
                // HiveMQ gave up waiting (the authentication timeout) and refused the connect already: the output
                // is decided and must not be touched; the slot goes (its disconnect may have removed it already)
                connections.remove(session, PENDING);
                return;
            }
            try {
                if (failure != null) {
                    log.warn(
                            "connect of {} refused: registry of {} unreadable: {}",
                            clientId,
                            region,
                            failure.toString());
                    output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "registry unavailable");
                    return;
                }
                Optional<String> refusal = refusal(principal, clientId);
                if (refusal.isPresent()) {
                    refuse(output, clientId, refusal.get());
                    return;
                }
                ConnectionContext connection = ConnectionContext.attached(AttachedThing.named(clientId));
                AttachedPolicies policies = parse(principal);
                if (!policies.allows(IotAction.CONNECT, arn(principal, "client/" + clientId), connection)) {
                    refuse(output, clientId, "no attached policy allows iot:Connect as " + clientId);
                    return;
                }
                Grant grant = new Grant(
                        session, clientId, certificateId, policies, connection, ipAddress, arn(principal, ""));
                if (!connections.replace(session, PENDING, grant)) {
                    // timed out or dropped while the registry was read: its disconnect already cleaned up
                    output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "connection closed");
                    return;
                }
                granted.incrementAndGet();
                try {
                    output.authenticateSuccessfully();
                } catch (UnsupportedOperationException decided) {
                    // timed out between the check above and now: the connect was refused, so no grant either
                    if (connections.remove(session, grant)) {
                        granted.decrementAndGet();
                    }
                    return;
                }
            } catch (RuntimeException e) {
                log.error("connect of {} failed in the authenticator", clientId, e);
                try {
                    output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
                } catch (UnsupportedOperationException decided) {
                    // already decided (timed out): nothing more to say to this client
                }
            } finally {
                connections.remove(session, PENDING); // refused: nothing to keep until its disconnect
                async.resume();
            }
        });
    }

    private Optional<String> refusal(RegistryView.Principal principal, String clientId) {
        if (!principal.registered()) {
            return Optional.of("certificate " + principal.certificateId() + " is not registered in " + region);
        }
        if (!principal.active()) {
            return Optional.of("certificate " + principal.certificateId() + " is " + principal.status());
        }
        if (!principal.things().contains(clientId)) {
            return Optional.of("client id " + clientId + " is no thing certificate " + principal.certificateId()
                    + " is attached to");
        }
        return Optional.empty();
    }

    private boolean namesThisEndpoint(String sni) {
        String name = sni.toLowerCase(java.util.Locale.ROOT);
        return endpointNames.stream()
                .anyMatch(known -> known.startsWith(".") ? name.endsWith(known) : name.equals(known));
    }

    private void refuse(SimpleAuthOutput output, String clientId, String why) {
        log.info("connect of {} to {} refused: {}", clientId, region, why);
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorized");
    }

    /** IoT Core's certificate id: the SHA-256 of the certificate's DER, in lowercase hex. */
    public static String certificateId(X509Certificate certificate) throws CertificateEncodingException {
        return CertificateId.ofDer(certificate.getEncoded()).value();
    }

    // ---- PUBLISH, SUBSCRIBE, RECEIVE ----

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        Optional<Grant> grant = grant(input);
        String topic = input.getPublishPacket().getTopic();
        if (grant.isEmpty() || !allowed(grant.get(), IotAction.PUBLISH, "topic/" + topic)) {
            log.info(
                    "publish of {} to {} refused by its policies",
                    input.getClientInformation().getClientId(),
                    topic);
            output.failAuthorization();
            return;
        }
        output.authorizeSuccessfully();
        Grant granted = grant.get();
        route.accepted(
                topic,
                bytes(input.getPublishPacket().getPayload()),
                granted.clientId(),
                granted.certificateId(),
                clock.millis());
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        Optional<Grant> grant = grant(input);
        String filter = input.getSubscription().getTopicFilter();
        if (grant.isEmpty() || !allowed(grant.get(), IotAction.SUBSCRIBE, "topicfilter/" + filter)) {
            log.info(
                    "subscription of {} to {} refused by its policies",
                    input.getClientInformation().getClientId(),
                    filter);
            output.failAuthorization();
            return;
        }
        output.authorizeSuccessfully();
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        Optional<Grant> grant = grant(input);
        String topic = input.getPublishPacket().getTopic();
        if (grant.isEmpty() || !allowed(grant.get(), IotAction.RECEIVE, "topic/" + topic)) {
            output.preventPublishDelivery();
        }
    }

    private AttachedPolicies parse(RegistryView.Principal principal) {
        List<IotPolicy> policies = new java.util.ArrayList<>();
        for (String document : principal.policyDocuments()) {
            try {
                policies.add(parsed(document));
            } catch (InvalidPolicyException e) {
                // IoT Core refuses to store such a policy; one that got in anyway allows nothing
                log.warn(
                        "a policy of certificate {} cannot be read, so it allows nothing: {}",
                        principal.certificateId(),
                        e.getMessage());
            }
        }
        return new AttachedPolicies(policies);
    }

    /** One parsed policy per distinct document, shared by every connection it is attached to. */
    private IotPolicy parsed(String document) {
        synchronized (parsedPolicies) {
            IotPolicy known = parsedPolicies.get(document);
            if (known != null) {
                return known;
            }
        }
        IotPolicy policy = IotPolicy.parse(document);
        synchronized (parsedPolicies) {
            parsedPolicies.put(document, policy);
        }
        return policy;
    }

    private boolean allowed(Grant grant, IotAction action, String resource) {
        return grant.policies().allows(action, grant.arnPrefix() + resource, grant.connection());
    }

    private Optional<Grant> grant(ClientBasedInput input) {
        return input.getConnectionInformation()
                .getConnectionAttributeStore()
                .getAsString(SESSION)
                .map(connections::get)
                .filter(Grant.class::isInstance)
                .map(Grant.class::cast);
    }

    private static String arn(RegistryView.Principal principal, String resource) {
        // arn:aws:iot:<region>:<account>:cert/<id>: the account is the certificate's own
        String[] parts = principal.certificateArn().split(":", 6);
        return "arn:aws:iot:" + parts[3] + ":" + parts[4] + ":" + resource;
    }

    private static byte[] bytes(Optional<ByteBuffer> payload) {
        if (payload.isEmpty()) {
            return new byte[0];
        }
        ByteBuffer buffer = payload.get().asReadOnlyBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    // ---- lifecycle events ----

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {}

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        grant(input).ifPresent(grant -> presence(grant, "connected", Optional.empty()));
    }

    @Override
    public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
        disconnected(input, "CLIENT_INITIATED_DISCONNECT");
    }

    @Override
    public void onConnectionLost(ConnectionLostInput input) {
        disconnected(input, "CONNECTION_LOST");
    }

    @Override
    public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
        String reason = input.getReasonCode()
                .map(code -> switch (code) {
                    case SESSION_TAKEN_OVER -> "DUPLICATE_CLIENTID";
                    case NOT_AUTHORIZED -> "FORBIDDEN_ACCESS";
                    case KEEP_ALIVE_TIMEOUT -> "MQTT_KEEP_ALIVE_TIMEOUT";
                    case PROTOCOL_ERROR, MALFORMED_PACKET -> "CLIENT_ERROR";
                    default -> "SERVER_INITIATED_DISCONNECT";
                })
                .orElse("SERVER_INITIATED_DISCONNECT");
        disconnected(input, reason);
    }

    /**
     * Every other disconnect (a failed or timed-out authentication, for one): the connection's slot is removed; a
     * connection that was granted gets its lifecycle event.
     */
    @Override
    public void onDisconnect(DisconnectEventInput input) {
        disconnected(input, "SERVER_INITIATED_DISCONNECT");
    }

    private void disconnected(DisconnectEventInput input, String reason) {
        Optional<String> session =
                input.getConnectionInformation().getConnectionAttributeStore().getAsString(SESSION);
        Slot slot = session.map(connections::remove).orElse(null);
        if (slot instanceof Grant grant) {
            granted.decrementAndGet();
            presence(grant, "disconnected", Optional.of(reason));
        }
    }

    private void presence(Grant grant, String eventType, Optional<String> disconnectReason) {
        long now = clock.millis();
        ObjectNode event = JSON.createObjectNode();
        event.put("clientId", grant.clientId());
        event.put("timestamp", now);
        event.put("eventType", eventType);
        event.put("sessionIdentifier", grant.sessionIdentifier());
        event.put("principalIdentifier", grant.certificateId());
        event.put("ipAddress", grant.ipAddress());
        disconnectReason.ifPresent(reason -> {
            event.put("clientInitiatedDisconnect", reason.equals("CLIENT_INITIATED_DISCONNECT"));
            event.put("disconnectReason", reason);
        });
        event.put("versionNumber", versions.incrementAndGet());
        String topic = "$aws/events/presence/" + eventType + "/" + grant.clientId();
        byte[] payload = JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        Services.publishService()
                .publish(Builders.publish()
                        .topic(topic)
                        .qos(Qos.AT_LEAST_ONCE)
                        .payload(ByteBuffer.wrap(payload))
                        .build())
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("lifecycle event {} not published: {}", topic, failure.toString());
                    }
                });
        route.accepted(topic, payload, grant.clientId(), grant.certificateId(), now);
    }

    /** The number of connections holding a grant (the connected clients), for the admin endpoint. */
    public int connections() {
        return granted.get();
    }

    /** Connections being authenticated or granted: zero once every connection has gone, whatever way it went. */
    int tracked() {
        return connections.size();
    }
}
