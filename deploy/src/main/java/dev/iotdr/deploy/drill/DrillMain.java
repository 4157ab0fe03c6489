package dev.iotdr.deploy.drill;

import dev.iotdr.deploy.fleet.DeliveryLedger;
import dev.iotdr.deploy.fleet.Endpoints;
import dev.iotdr.deploy.fleet.Fleet;
import dev.iotdr.deploy.fleet.FleetEnrolment;
import dev.iotdr.deploy.fleet.TelemetryWitness;
import dev.iotdr.deploy.localstack.LocalStackTokens;
import dev.iotdr.edge.DeviceIdentity;
import dev.iotdr.edge.EdgeAgent;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./drctl drill --devices N [--json]}: onboard N devices in the primary; wait until every one is
 * connect-ready in the secondary; stop the primary for real (its emulator and its services); let automatic
 * failover happen; check that the custom names point at the secondary, that every device is connect-ready
 * there and that a new device can be onboarded there; bring the primary back, let it catch up, fail back;
 * check both regions agree. Connect-readiness is checked straight against each region's IoT registry; the
 * custom names are resolved through the local DNS before the outage, after the failover and after the failback, and
 * must answer the active region's address each time.
 * Exits non-zero when the drill did not pass.
 */
public final class DrillMain {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Telemetry ingest's hot store in every region (its default name). */
    private static final String TELEMETRY_TABLE = dev.iotdr.shared.contract.TelemetryTable.DEFAULT_NAME;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path stateDirectory;
    private final boolean json;
    private final List<String> log = new ArrayList<>();
    private JsonNode state;
    private String token;
    private Path fleetDirectory;

    private DrillMain(Path stateDirectory, boolean json) {
        this.stateDirectory = stateDirectory;
        this.json = json;
    }

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(option(args, "--devices", "20"));
        double rate = Double.parseDouble(option(args, "--rate", "0.2"));
        double rtoBudget = Double.parseDouble(option(args, "--device-rto-budget", "20"));
        double powerOn = Double.parseDouble(option(args, "--power-on-per-second", "10"));
        if (!(powerOn > 0)) {
            throw new IllegalArgumentException("--power-on-per-second must be positive, was " + powerOn);
        }
        boolean json = List.of(args).contains("--json");
        DrillMain drill = new DrillMain(Path.of(option(args, "--state-dir", ".drctl")), json);
        ObjectNode report = drill.run(devices, rate, rtoBudget, powerOn);
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            drill.log.forEach(System.out::println);
            System.out.println();
            System.out.println(report.get("passed").asBoolean() ? "DRILL PASSED" : "DRILL FAILED");
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        System.exit(report.get("passed").asBoolean() ? 0 : 1);
    }

    private ObjectNode run(int devices, double rate, double rtoBudget, double powerOnPerSecond) throws Exception {
        state = readState();
        token = LocalStackTokens.token(
                Files.readString(stateDirectory.resolve("secrets").resolve("jwt-secret"))
                        .strip(),
                "devices:write devices:read ops:read ops:write telemetry:read");
        List<String> codes = new ArrayList<>();
        state.get("regions").properties().forEach(entry -> codes.add(entry.getKey()));
        Region primary = Region.of(codes.get(0));
        Region secondary = Region.of(codes.get(1));
        ObjectNode report = JSON.createObjectNode();
        report.put("primary", primary.code());
        report.put("secondary", secondary.code());
        report.put("passed", false);
        List<String> failures = new ArrayList<>();

        Map<Region, URI> endpoints = new HashMap<>();
        for (String code : codes) {
            endpoints.put(
                    Region.of(code),
                    URI.create(state.get("regions").get(code).get("emulator").asString()));
        }
        try (RegionalAwsClients clients = new RegionalAwsClients(AwsClientSettings.emulated(
                endpoints, URI.create(state.get("global").get("emulator").asString())))) {
            String active = get(service(secondary, "failover"), "/v1/regions")
                    .get("activeRegion")
                    .asString();
            if (!primary.code().equals(active)) {
                failures.add("the drill starts with " + primary + " active, but " + active + " is");
                return finish(report, failures);
            }

            // 1. Enrol N devices through api.<domain> (the local DNS sends it to the primary's load balancer).
            String run = UUID.randomUUID().toString().substring(0, 6);
            fleetDirectory = stateDirectory.resolve("drill-fleet-" + run);
            Map<String, String> certificates = new LinkedHashMap<>();
            try (FleetEnrolment enrolment = enrolment(fleetDirectory)) {
                for (FleetEnrolment.Enrolled device : enrolment.enrol("drill-" + run, devices, 8)) {
                    certificates.put(device.thingName(), device.certificateId());
                }
            }
            report.put("devicesOnboarded", certificates.size());
            say(
                    "enrolled %d devices through api.%s (%s)",
                    certificates.size(), state.get("domain").asString(), primary);

            // 2. All connect-ready in the secondary before the outage.
            Instant replicationStart = Instant.now();
            boolean replicated = eventually(
                    () -> missing(clients.iot(secondary), secondary, primary, certificates) == 0,
                    Duration.ofSeconds(60 + devices / 5));
            report.put("replicatedBeforeOutageSeconds", seconds(replicationStart, Instant.now()));
            if (!replicated) {
                failures.add("not every device was connect-ready in " + secondary + " before the outage");
            }
            say("all devices connect-ready in %s after %.1f s", secondary, seconds(replicationStart, Instant.now()));

            // The local DNS answers the custom names with the primary's address before the outage.
            String primaryAddress = regionAddress(primary);
            String secondaryAddress = regionAddress(secondary);
            ObjectNode localDns = report.putObject("localDns");
            for (String name : customNames()) {
                Optional<DnsAnswer> answer = resolve(name);
                localDns.putObject(name)
                        .put("beforeOutage", answer.map(DnsAnswer::toString).orElse("none"));
                if (answer.isEmpty() || !answer.get().address().equals(primaryAddress)) {
                    failures.add("before the outage the local DNS answered " + name + " with "
                            + answer.map(DnsAnswer::toString).orElse("nothing") + ", not " + primaryAddress);
                }
            }

            // The fleet connects (to the primary, where the name points) and publishes.
            FleetWatch watch = new FleetWatch();
            TelemetryWitness witness = new TelemetryWitness(clients);
            Fleet fleet = new Fleet(
                    fleetDirectory,
                    List.copyOf(certificates.keySet()),
                    state.get("domain").asString(),
                    dnsServer(),
                    mqttPort(primary),
                    100_000,
                    watch);
            // devices power on over time: all at once would saturate the primary's emulator before the outage
            fleet.connect(Duration.ofMillis((long) (devices * 1000 / powerOnPerSecond)));
            boolean allConnected = eventually(
                    () -> fleet.totals().connectedByAddress().getOrDefault(primaryAddress, 0) == devices,
                    Duration.ofSeconds(60 + devices / 5));
            report.put(
                    "devicesConnectedBeforeOutage",
                    fleet.totals().connectedByAddress().getOrDefault(primaryAddress, 0));
            if (!allConnected) {
                failures.add("not every device connected to " + primary + " before the outage: "
                        + fleet.totals().connectedByAddress());
            }
            // ingest's duplicate counters run from each service's start: what they say before the drill's
            // messages is subtracted
            long duplicatesBeforeInPrimary = ingestDuplicates(service(primary, "telemetry"));
            long duplicatesBeforeInSecondary = ingestDuplicates(service(secondary, "telemetry"));
            fleet.produce(rate);
            // both regions' queues are read as they fill by their consumer, telemetry ingest
            // publishing before the outage means acknowledged before it: every device has had a message taken
            boolean allPublishing = eventually(
                    () -> fleet.agents().stream()
                            .allMatch(agent -> agent.status().acknowledged() > 0),
                    Duration.ofSeconds(30 + (long) Math.ceil(2 / rate)));
            long publishing = fleet.agents().stream()
                    .filter(agent -> agent.status().acknowledged() > 0)
                    .count();
            report.put("devicesPublishingBeforeOutage", publishing);
            if (!allPublishing) {
                failures.add("only " + publishing + " of " + devices + " devices had a message acknowledged by "
                        + primary + " before the outage");
            }
            say("fleet: %d devices connected to %s, publishing %.2f messages/s each", devices, primary, rate);
            String stillActive = get(service(secondary, "failover"), "/v1/regions")
                    .get("activeRegion")
                    .asString();
            if (!primary.code().equals(stillActive)) {
                // the fleet's own load made the primary look unhealthy: the outage would measure nothing
                failures.add("the fleet's load failed " + primary + " over to " + stillActive + " before the outage");
                fleet.close();
                return finish(report, failures);
            }

            // 3. The primary goes down for real: its endpoints and services first (devices lose their connections
            // now), then, once what its telemetry queue holds has been read (SQS keeps it through an outage; the
            // emulator does not), its emulator.
            long duplicatesInPrimary =
                    since(duplicatesBeforeInPrimary, ingestDuplicates(service(primary, "telemetry")));
            Instant outage = Instant.now();
            watch.outageAt(outage);
            control(primary, "stop-services");
            Fleet.Totals atOutage = fleet.totals();
            report.put("messagesAcknowledgedBeforeOutage", atOutage.acknowledged());
            // what the primary's ingest stored, and what it left in the queue when it stopped (SQS would keep it
            // through the outage; the emulator loses it with the region)
            Instant primaryReadUntil = Instant.now().plusSeconds(120);
            boolean primaryDrained;
            do {
                // messages ingest had received when it stopped come back when their visibility ends: read until
                // nothing waits and nothing is in flight
                primaryDrained = witness.drain(primary, 2, Duration.ofSeconds(1), primaryReadUntil)
                        && witness.queueEmpty(primary);
            } while (!primaryDrained && Instant.now().isBefore(primaryReadUntil));
            boolean primaryRead = witness.readHotStore(primary, TELEMETRY_TABLE, primaryReadUntil);
            if (!primaryDrained) {
                failures.add("the primary's telemetry queue could not be read to its end before its emulator stopped");
            }
            if (!primaryRead) {
                failures.add("the primary's hot store could not be read before its emulator stopped");
            }
            report.put("messagesLeftInPrimaryQueue", witness.queued(primary));
            control(primary, "stop");
            say("%s stopped (endpoints and services at %s, then its emulator)", primary, outage);

            // 4. Automatic failover.
            URI failover = service(secondary, "failover");
            boolean switched = eventually(
                    () -> secondary
                            .code()
                            .equals(get(failover, "/v1/regions")
                                    .get("activeRegion")
                                    .asString()),
                    Duration.ofSeconds(60));
            Instant observed = Instant.now();
            if (!switched) {
                failures.add("no automatic failover to " + secondary + " within 60 s");
                return finish(report, failures);
            }
            JsonNode regions = get(failover, "/v1/regions");
            for (JsonNode region : regions.get("regions")) {
                if (region.get("region").asString().equals(primary.code())
                        && !region.get("declaredUnhealthyAt").isNull()) {
                    report.put(
                            "detectionSeconds",
                            seconds(
                                    outage,
                                    Instant.parse(
                                            region.get("declaredUnhealthyAt").asString())));
                }
            }
            JsonNode event = newestEvent(failover, secondary);
            // when the switch was made, as the failover recorded it (the drill looks only after the outage's steps)
            Instant dnsSwitched = observed;
            if (event != null) {
                for (String field : List.of("dnsInSync", "dnsSubmitted")) {
                    if (event.get(field) != null && !event.get(field).isNull()) {
                        dnsSwitched = Instant.parse(event.get(field).asString());
                        break;
                    }
                }
            }
            report.put("dnsSwitchedSeconds", seconds(outage, dnsSwitched));
            if (event != null && !event.get("firstHealthyRequest").isNull()) {
                report.put(
                        "rtoSeconds",
                        seconds(
                                outage,
                                Instant.parse(event.get("firstHealthyRequest").asString())));
                report.put(
                        "rtoFromFirstFailedProbeSeconds",
                        event.get("rtoSeconds").asDouble());
            } else {
                failures.add("the failover recorded no healthy request through the custom name");
            }
            say("failed over to %s %.1f s after the outage began", secondary, seconds(outage, dnsSwitched));

            // 5. The custom names point at the secondary.
            for (String name : List.of("api", "iot")) {
                Optional<String> primaryRole =
                        primaryRecord(clients, name + "." + state.get("domain").asString());
                report.put(name + "NameServes", primaryRole.orElse("none"));
                if (!primaryRole.equals(Optional.of(secondary.code()))) {
                    failures.add(name + "." + state.get("domain").asString() + " does not point at " + secondary);
                }
            }

            // The local DNS answers them with the secondary's address (it reads Route 53 every second).
            for (String name : customNames()) {
                boolean moved = eventually(
                        () -> resolve(name)
                                .filter(answer -> answer.address().equals(secondaryAddress))
                                .isPresent(),
                        Duration.ofSeconds(10));
                ObjectNode byName = (ObjectNode) localDns.get(name);
                byName.put(
                        "confirmedSecondarySeconds",
                        seconds(outage, Instant.now())); // when the drill looked, not when it moved
                Optional<DnsAnswer> answer = resolve(name);
                byName.put("afterFailover", answer.map(DnsAnswer::toString).orElse("none"));
                if (!moved) {
                    failures.add("after the failover the local DNS still answers " + name + " with "
                            + answer.map(DnsAnswer::toString).orElse("nothing") + ", not " + secondaryAddress);
                }
            }

            // The fleet reconnects to the secondary: per-device time from the outage, refusals, and every message
            // (acknowledged before the outage or buffered during it) in a telemetry queue.
            boolean allBack =
                    eventually(() -> watch.reconnected(secondaryAddress).size() == devices, Duration.ofSeconds(120));
            Map<String, Instant> reconnected = watch.reconnected(secondaryAddress);
            ObjectNode rto = report.putObject("deviceRto");
            List<Double> times = reconnected.values().stream()
                    .map(at -> seconds(outage, at))
                    .sorted()
                    .toList();
            rto.put("devices", times.size());
            rto.put("p50Seconds", percentile(times, 50));
            rto.put("p95Seconds", percentile(times, 95));
            rto.put("p99Seconds", percentile(times, 99));
            rto.put("maxSeconds", times.isEmpty() ? 0 : times.getLast());
            rto.put("budgetSeconds", rtoBudget);
            if (percentile(times, 99) > rtoBudget) {
                failures.add(
                        "device RTO p99 " + percentile(times, 99) + " s is over the budget of " + rtoBudget + " s");
            }
            // refused at least once as not accepted (unknown certificate, not authorised; never a busy refusal): the
            // secondary's registry did not know the device when it came, whether or not a later attempt got in
            java.util.Set<String> refusedDevices = watch.refusedBy(secondaryAddress);
            int refused = refusedDevices.size();
            report.put("devicesRefused", refused);
            report.put(
                    "devicesRefusedThenAccepted",
                    refusedDevices.stream().filter(reconnected::containsKey).count());
            report.put("connectsRefusedAsBusy", watch.throttled());
            if (!allBack) {
                failures.add((devices - reconnected.size()) + " devices did not reconnect to " + secondary
                        + " within 120 s");
            }
            // what the system itself says is back: the secondary's presence (its lifecycle events, ingested)
            URI telemetry = service(secondary, "telemetry");
            boolean presenceAgrees = eventually(
                    () -> connectedPerPresence(telemetry, secondary) >= reconnected.size(), Duration.ofSeconds(60));
            ObjectNode presence = report.putObject("presence");
            presence.put("connectedInSecondary", connectedPerPresence(telemetry, secondary));
            presence.put("confirmedSeconds", seconds(outage, Instant.now()));
            if (!presenceAgrees) {
                failures.add("the secondary's presence counts " + connectedPerPresence(telemetry, secondary)
                        + " devices connected where " + reconnected.size() + " are");
            }
            if (refused > 0) {
                failures.add(refused + " devices were refused by " + secondary + " as not accepted ("
                        + refusedDevices.stream()
                                .filter(reconnected::containsKey)
                                .count()
                        + " of them accepted later): its registry did not know them when they came");
            }
            say(
                    "fleet: %d of %d devices reconnected to %s; p50 %.1f s, p99 %.1f s after the outage began",
                    reconnected.size(), devices, secondary, percentile(times, 50), percentile(times, 99));
            Thread.sleep(3_000);
            fleet.stopProducing();
            boolean drained = fleet.awaitDrained(Duration.ofSeconds(60));
            // every sequence number a device produced, not dropped by its buffer and not still in it, must have
            // reached a telemetry queue; the rules may still be sending what was acknowledged, so read until all is
            // there or 120 s have passed
            Map<String, java.util.Set<Long>> expected = new LinkedHashMap<>();
            for (EdgeAgent agent : fleet.agents()) {
                EdgeAgent.Status status = agent.status();
                java.util.Set<Long> seqs = new java.util.HashSet<>();
                for (long seq = 1; seq <= status.produced(); seq++) {
                    seqs.add(seq);
                }
                seqs.removeAll(fleet.bufferedSeqs(status.thingName()));
                expected.put(status.thingName(), seqs);
            }
            boolean secondaryRead = false; // until its hot store has been read in full
            Instant readUntil = Instant.now().plusSeconds(180);
            // an upper bound until the secondary's hot store is read: every expected message missing
            long lost =
                    expected.values().stream().mapToLong(java.util.Set::size).sum();
            do {
                // ingest takes the secondary's queue; the hot store is read once it is empty (reading a table
                // over and over would take the emulator from the ingest it waits for)
                boolean queueEmptied = eventually(
                        () -> witness.queueEmpty(secondary),
                        // looked at least once, even when the time is nearly up
                        Duration.between(Instant.now(), readUntil).compareTo(Duration.ofSeconds(1)) < 0
                                ? Duration.ofSeconds(1)
                                : Duration.between(Instant.now(), readUntil));
                if (!queueEmptied) {
                    failures.add("the secondary's telemetry queue did not empty within 180 s (its ingest is behind);"
                            + " messagesLost counts every message not yet seen in its hot store");
                    break;
                }
                secondaryRead = witness.readHotStore(secondary, TELEMETRY_TABLE, readUntil);
                // delivered: in the surviving region's hot store, or left in the failed region's queue (which SQS
                // keeps through an outage, for its ingest when it is back); what only the primary's hot store held
                // went with the region (the emulator keeps nothing), so it counts as lost
                lost = DeliveryLedger.lost(
                        expected,
                        thing -> witness.storedIn(secondary, thing),
                        thing -> witness.queuedIn(primary, thing));
                if (lost > 0 && secondaryRead) {
                    Thread.sleep(5_000); // what ingest has not stored yet (the queue's last in-flight page): again
                }
            } while (lost > 0 && secondaryRead && Instant.now().isBefore(readUntil));
            if (!secondaryRead) {
                // messagesLost is then an upper bound: unread messages count as missing
                failures.add("the secondary's hot store could not be read in full within 180 s");
            }
            Fleet.Totals end = fleet.totals();
            fleet.close();
            report.put("messagesProduced", end.produced());
            report.put("messagesDroppedByBuffer", end.dropped());
            // refused by the endpoint with an error PUBACK (its policy): never stored, so counted in messagesLost too
            report.put("messagesRejectedByEndpoint", end.rejected());
            report.put("messagesStillBuffered", end.buffered());
            report.put("messagesLost", lost);
            // a message stored once per region however often it came: what ingest found stored already (both
            // regions; the primary's as it stopped), and what the witness read twice from the primary's queue
            long duplicatesInSecondary =
                    since(duplicatesBeforeInSecondary, ingestDuplicates(service(secondary, "telemetry")));
            boolean duplicatesKnown = duplicatesInPrimary >= 0 && duplicatesInSecondary >= 0;
            long duplicated = witness.duplicates() + duplicatesInPrimary + duplicatesInSecondary;
            if (!duplicatesKnown) {
                report.putNull("messagesDuplicated"); // an ingest's count could not be read
            } else {
                report.put("messagesDuplicated", duplicated);
            }
            // stored by the primary's ingest and not copied to the secondary before its region went (the hot
            // store's RPO exposure): counted in messagesLost unless also left in the primary's queue
            if (primaryRead && secondaryRead) {
                report.put("messagesOnlyInPrimaryHotStore", witness.onlyIn(primary));
            } else {
                report.putNull("messagesOnlyInPrimaryHotStore"); // a hot store was not read in full
            }
            if (!drained || lost > 0 || end.dropped() > 0) {
                failures.add(lost + " messages lost (" + end.buffered() + " still buffered, " + end.dropped()
                        + " dropped by the buffer)");
            }
            say(
                    "telemetry: %d produced, %d seen stored or queued, %d lost, %s duplicates",
                    end.produced(), witness.distinct(), lost, duplicatesKnown ? Long.toString(duplicated) : "unknown");

            // 6. Every device connect-ready there; a new device can be onboarded there.
            int missing = missing(clients.iot(secondary), secondary, primary, certificates);
            report.put("devicesMissing", missing);
            if (missing > 0) {
                failures.add(missing + " devices are not connect-ready in " + secondary);
            }
            Map<String, String> newcomers = new LinkedHashMap<>();
            try (FleetEnrolment enrolment = enrolment(fleetDirectory)) {
                for (FleetEnrolment.Enrolled device : enrolment.enrol("drill-" + run + "-during-outage", 1, 1)) {
                    newcomers.put(device.thingName(), device.certificateId());
                }
            } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
                say(
                        "enrolling through api.%s during the outage failed: %s",
                        state.get("domain").asString(), e);
            }
            report.put("newDeviceOnboardedDuringOutage", newcomers.size() == 1);
            if (newcomers.size() != 1 || missing(clients.iot(secondary), secondary, secondary, newcomers) != 0) {
                failures.add("a new device could not be onboarded in " + secondary + " during the outage");
            }

            // 7. The primary comes back (empty) and catches up.
            Instant restore = Instant.now();
            control(primary, "start");
            Instant servicesBack = Instant.now();
            state = readState();
            Map<String, String> everything = new LinkedHashMap<>(certificates);
            everything.putAll(newcomers);
            Map<String, String> remaining = new LinkedHashMap<>(everything);
            boolean caughtUp = eventually(
                    () -> {
                        remaining
                                .keySet()
                                .removeIf(device -> missing(
                                                clients.iot(primary),
                                                primary,
                                                primary,
                                                Map.of(device, remaining.get(device)))
                                        == 0);
                        return remaining.isEmpty();
                    },
                    Duration.ofSeconds(120 + devices / 5));
            Instant caughtUpAt = Instant.now();
            report.put("primaryCaughtUpSeconds", seconds(restore, caughtUpAt));
            // The catch-up itself: from the restored region's services being ready to its last device ready.
            double catchUpSeconds = seconds(servicesBack, caughtUpAt);
            report.put("primaryCatchUpSeconds", catchUpSeconds);
            report.put("primaryCatchUpDevicesPerSecond", everything.size() / Math.max(0.001, catchUpSeconds));
            if (!caughtUp) {
                failures.add(primary + " did not catch up after it came back (" + remaining.size() + " missing)");
            }
            say(
                    "%s back after %.1f s and caught up %d devices %.1f s later (%.1f devices/s)",
                    primary,
                    seconds(restore, servicesBack),
                    everything.size(),
                    catchUpSeconds,
                    everything.size() / Math.max(0.001, catchUpSeconds));

            // 8. Fail back, through the rules (waiting out health recovery and the cool-down).
            Instant failbackAsked = Instant.now();
            JsonNode back = null;
            while (back == null && Instant.now().isBefore(failbackAsked.plus(Duration.ofSeconds(90)))) {
                HttpResponse<String> answer =
                        send(failover, "POST", "/v1/failback", "{\"reason\":\"drill: primary restored\"}");
                if (answer.statusCode() == 200) {
                    back = JSON.readTree(answer.body());
                } else {
                    Thread.sleep(1000);
                }
            }
            if (back == null) {
                failures.add("failback to " + primary + " was not allowed within 90 s");
                return finish(report, failures);
            }
            report.put(
                    "failbackSeconds",
                    seconds(
                            failbackAsked,
                            Instant.parse(
                                    !back.get("firstHealthyRequest").isNull()
                                            ? back.get("firstHealthyRequest").asString()
                                            : !back.get("dnsInSync").isNull()
                                                    ? back.get("dnsInSync").asString()
                                                    : back.get("dnsSubmitted").asString())));
            report.put(
                    "failbackWaitedForRulesSeconds",
                    seconds(failbackAsked, Instant.parse(back.get("decided").asString())));
            say("failed back to %s", primary);

            // 9. Both regions agree.
            int disagreeing = missing(clients.iot(primary), primary, primary, certificates)
                    + missing(clients.iot(primary), primary, secondary, newcomers)
                    + missing(clients.iot(secondary), secondary, primary, certificates)
                    + missing(clients.iot(secondary), secondary, secondary, newcomers);
            report.put("regionsAgree", disagreeing == 0);
            if (disagreeing > 0) {
                failures.add(disagreeing + " device checks differ between the regions after failback");
            }
            Optional<String> apiServes =
                    primaryRecord(clients, "api." + state.get("domain").asString());
            if (!apiServes.equals(Optional.of(primary.code()))) {
                failures.add("after failback api. points at " + apiServes.orElse("nothing"));
            }
            for (String name : customNames()) {
                if (!eventually(
                        () -> resolve(name)
                                .filter(answer -> answer.address().equals(primaryAddress))
                                .isPresent(),
                        Duration.ofSeconds(10))) {
                    failures.add("after failback the local DNS does not answer " + name + " with " + primaryAddress);
                }
            }
        }
        return finish(report, failures);
    }

    private ObjectNode finish(ObjectNode report, List<String> failures) {
        removeFleetFiles();
        report.put("passed", failures.isEmpty());
        var list = report.putArray("failures");
        failures.forEach(list::add);
        return report;
    }

    /** The drill's devices' keys and buffer go with the drill (the devices themselves stay in the registries). */
    private void removeFleetFiles() {
        if (fleetDirectory == null || !Files.isDirectory(fleetDirectory)) {
            return;
        }
        try (var paths = Files.walk(fleetDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            say("could not remove %s: %s", fleetDirectory, e.getMessage());
        }
    }

    /** Onboards {@code count} devices in {@code region}, 8 at a time; returns device id to certificate id. */
    private Map<String, String> onboardAll(Region region, String prefix, int count) throws Exception {
        URI onboarding = service(region, "onboarding");
        Map<String, String> certificates = new java.util.concurrent.ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String device = prefix + "-" + i;
                work.add(pool.submit(() -> {
                    HttpResponse<String> answer = send(
                            onboarding,
                            "POST",
                            "/v1/devices",
                            "{\"deviceId\":\"" + device
                                    + "\",\"thingGroup\":\"drill\",\"attributes\":{\"model\":\"th-200\"}}",
                            "Idempotency-Key",
                            "drill-" + device);
                    if (answer.statusCode() == 201) {
                        certificates.put(
                                device,
                                JSON.readTree(answer.body())
                                        .get("certificateId")
                                        .asString());
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        }
        return certificates;
    }

    /** How many of the devices are not connect-ready in {@code region}'s registry. */
    private static int missing(IotClient iot, Region region, Region origin, Map<String, String> certificates) {
        int missing = 0;
        for (var device : certificates.entrySet()) {
            try {
                String arn = "arn:aws:iot:" + region.code() + ":123456789012:cert/" + device.getValue();
                boolean attached = iot.listThingPrincipals(r -> r.thingName(device.getKey()))
                        .principals()
                        .contains(arn);
                boolean active = "ACTIVE"
                        .equals(iot.describeCertificate(r -> r.certificateId(device.getValue()))
                                .certificateDescription()
                                .statusAsString());
                if (!attached
                        || !active
                        || iot.listAttachedPolicies(r -> r.target(arn))
                                .policies()
                                .isEmpty()) {
                    missing++;
                }
            } catch (RuntimeException absent) {
                missing++;
            }
        }
        return missing;
    }

    private Optional<String> primaryRecord(RegionalAwsClients clients, String name) {
        var route53 = clients.route53(Region.of("us-east-1"));
        String fqdn = name + ".";
        String zoneName = state.get("domain").asString() + ".";
        // The same zone the failover services use: the lowest id of the zones with the name.
        Optional<String> zoneId = route53.listHostedZonesByName(r -> r.dnsName(zoneName)).hostedZones().stream()
                .filter(zone -> zone.name().equals(zoneName))
                .map(zone -> zone.id().replace("/hostedzone/", ""))
                .sorted()
                .findFirst();
        return zoneId.flatMap(id -> route53
                .listResourceRecordSets(
                        r -> r.hostedZoneId(id).startRecordName(fqdn).startRecordType(RRType.CNAME))
                .resourceRecordSets()
                .stream()
                .filter(record -> record.name().equals(fqdn) && record.failover() == ResourceRecordSetFailover.PRIMARY)
                .map(record -> record.setIdentifier())
                .findFirst());
    }

    /** The fleet's connections as the drill needs them: first connect per device to each address after the outage. */
    private static final class FleetWatch implements EdgeAgent.Events {
        private volatile Instant outage = Instant.MAX;
        private final Map<String, Map<String, Instant>> reconnected = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, java.util.Set<String>> refused = new java.util.concurrent.ConcurrentHashMap<>();

        void outageAt(Instant at) {
            outage = at;
        }

        @Override
        public void connected(String thingName, InetAddress endpoint, Instant at) {
            if (!at.isBefore(outage)) {
                reconnected
                        .computeIfAbsent(
                                endpoint.getHostAddress(), key -> new java.util.concurrent.ConcurrentHashMap<>())
                        .putIfAbsent(thingName, at);
            }
        }

        @Override
        public void refused(String thingName, InetAddress endpoint, Instant at, String reasonCode) {
            if (NOT_ACCEPTED.contains(reasonCode)) {
                refused.computeIfAbsent(
                                endpoint.getHostAddress(), key -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                        .add(thingName);
            } else {
                throttled.incrementAndGet(); // busy or unavailable: the device backs off and tries again
            }
        }

        /** Refusals that mean the endpoint does not accept this device (re-enrolment would be needed). */
        private static final java.util.Set<String> NOT_ACCEPTED = java.util.Set.of(
                "NOT_AUTHORIZED", "BAD_USER_NAME_OR_PASSWORD", "BANNED", "CLIENT_IDENTIFIER_NOT_VALID");

        private final java.util.concurrent.atomic.AtomicLong throttled = new java.util.concurrent.atomic.AtomicLong();

        long throttled() {
            return throttled.get();
        }

        Map<String, Instant> reconnected(String address) {
            return Map.copyOf(reconnected.getOrDefault(address, Map.of()));
        }

        java.util.Set<String> refusedBy(String address) {
            return java.util.Set.copyOf(refused.getOrDefault(address, java.util.Set.of()));
        }
    }

    private FleetEnrolment enrolment(Path fleetDirectory) throws Exception {
        return new FleetEnrolment(
                state.get("domain").asString(),
                apiPort(),
                dnsServer(),
                DeviceIdentity.certificate(Files.readString(
                        Path.of(state.get("global").get("pki").asString()).resolve("root-ca.pem"))),
                token,
                fleetDirectory);
    }

    private Optional<InetSocketAddress> dnsServer() {
        return Optional.of(Endpoints.parse(state.get("global").get("dns").asString()));
    }

    private int mqttPort(Region region) {
        return Endpoints.parse(state.get("regions")
                        .get(region.code())
                        .get("iotEndpoint")
                        .asString())
                .getPort();
    }

    private int apiPort() {
        return Endpoints.parse(state.get("regions")
                        .values()
                        .iterator()
                        .next()
                        .get("apiEndpoint")
                        .asString())
                .getPort();
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    private static double percentile(List<Double> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** What the local DNS answered for a name: the address the chain ends at, and the first record's TTL. */
    private record DnsAnswer(String address, long ttlSeconds) {
        @Override
        public String toString() {
            return address + " (ttl " + ttlSeconds + " s)";
        }
    }

    private List<String> customNames() {
        String domain = state.get("domain").asString();
        return List.of("iot." + domain, "api." + domain);
    }

    /** The region's data-plane address, as state.json records its MQTT endpoint ({@code address:port}). */
    private String regionAddress(Region region) {
        return Endpoints.parse(state.get("regions")
                        .get(region.code())
                        .get("iotEndpoint")
                        .asString())
                .getHostString();
    }

    /** One query to the local DNS (no cache), following the answer's CNAME chain to its address. */
    private Optional<DnsAnswer> resolve(String name) {
        JsonNode dns = state.get("global").get("dns");
        if (dns == null || dns.isNull()) {
            return Optional.empty();
        }
        try {
            SimpleResolver resolver = new SimpleResolver(Endpoints.parse(dns.asString()));
            resolver.setTimeout(Duration.ofSeconds(2));
            Message answer = resolver.send(
                    Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
            List<org.xbill.DNS.Record> records = answer.getSection(Section.ANSWER);
            return records.stream()
                    .filter(ARecord.class::isInstance)
                    .map(ARecord.class::cast)
                    .findFirst()
                    .map(a -> new DnsAnswer(
                            a.getAddress().getHostAddress(), records.getFirst().getTTL()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private JsonNode newestEvent(URI failover, Region to) {
        for (JsonNode event : get(failover, "/v1/failover/events?limit=5")) {
            if (event.get("to").asString().equals(to.code())) {
                return event;
            }
        }
        return null;
    }

    private void control(Region region, String action) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                state.get("supervisor").get("control").asString() + "/regions/" + region.code() + "/"
                                        + action))
                        .timeout(Duration.ofMinutes(3))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("could not " + action + " " + region + ": " + answer.body());
        }
    }

    private URI service(Region region, String name) {
        return URI.create(state.get("regions").get(region.code()).get(name).asString());
    }

    /**
     * Records telemetry ingest found stored already (its {@code iotdr_telemetry_records_total{outcome="duplicate"}},
     * both inputs), read from its metrics; -1 if it cannot say.
     */
    private static long ingestDuplicates(URI telemetry) {
        try {
            HttpResponse<String> metrics = HTTP.send(
                    HttpRequest.newBuilder(telemetry.resolve("/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double duplicates = 0;
            for (String line : metrics.body().lines().toList()) {
                if (line.startsWith("iotdr_telemetry_records_total{") && line.contains("outcome=\"duplicate\"")) {
                    duplicates += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return metrics.statusCode() == 200 ? (long) duplicates : -1;
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A counter's growth since {@code before}; -1 when either reading is unknown. */
    private static long since(long before, long now) {
        return before < 0 || now < 0 ? -1 : now - before;
    }

    /** Devices connected to {@code region} as its presence (telemetry ingest) counts them; -1 if it cannot say. */
    private long connectedPerPresence(URI telemetry, Region region) {
        try {
            for (JsonNode entry : get(telemetry, "/v1/fleet/presence").get("regions")) {
                if (entry.get("region").asString().equals(region.code())) {
                    return entry.get("connected").asLong();
                }
            }
        } catch (RuntimeException unavailable) {
            // not answering yet
        }
        return -1;
    }

    private JsonNode get(URI base, String path) {
        try {
            HttpResponse<String> answer = send(base, "GET", path, null);
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + answer.statusCode());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(URI base, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode readState() throws IOException {
        return JSON.readTree(Files.readString(stateDirectory.resolve("state.json")));
    }

    private void say(String format, Object... arguments) {
        String line = String.format(format, arguments);
        log.add(line);
        if (!json) {
            System.out.println(line);
        }
    }

    private static boolean eventually(BooleanSupplier condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // keep looking
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static double seconds(Instant from, Instant to) {
        return Math.round(Duration.between(from, to).toMillis() / 10.0) / 100.0;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
