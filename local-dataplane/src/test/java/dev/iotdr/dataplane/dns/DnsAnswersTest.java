package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The answering rules on a fixed zone, without sockets or Route 53. */
class DnsAnswersTest {
    private static final Name APEX = Name.fromConstantString("unit.example.test.");
    private static final InetAddress US = address("127.0.1.1");
    private static final InetAddress EU = address("127.0.2.1");
    private static final OutsideNames OUTSIDE =
            new OutsideNames(Map.of(Region.of("us-east-1"), US, Region.of("eu-west-1"), EU));

    private final Set<String> unhealthy = new HashSet<>();
    private Optional<ZoneView> zone = Optional.of(zone());
    private final DnsAnswers answers = new DnsAnswers(() -> zone, id -> !unhealthy.contains(id), OUTSIDE, APEX);

    @Test
    void aFailoverPairAnswersThePrimaryChainDownToItsRegionWhileThePrimaryIsHealthy() {
        Message response = ask("iot.unit.example.test.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER))
                .extracting(Record::getType, Record::getTTL, DnsAnswersTest::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Type.CNAME, 5L, "abc-ats.iot.us-east-1.amazonaws.com."),
                        org.assertj.core.groups.Tuple.tuple(Type.A, 60L, "127.0.1.1"));
    }

    @Test
    void anUnhealthyPrimaryGivesWayToAHealthySecondary() {
        unhealthy.add("primary-check");

        assertThat(addressOf(ask("iot.unit.example.test.", Type.A))).isEqualTo("127.0.2.1");
    }

    @Test
    void whenTheSecondaryIsUnhealthyTooThePrimaryIsAnswered() {
        unhealthy.add("primary-check");
        unhealthy.add("secondary-check");

        assertThat(addressOf(ask("iot.unit.example.test.", Type.A))).isEqualTo("127.0.1.1");
    }

    @Test
    void aChainWithinTheZoneListsEveryRecordWithItsOwnTtl() {
        Message response = ask("api.unit.example.test.", Type.A);

        assertThat(response.getSection(Section.ANSWER))
                .extracting(Record::getName, Record::getTTL)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(name("api.unit.example.test."), 42L),
                        org.assertj.core.groups.Tuple.tuple(name("lb.unit.example.test."), 17L),
                        org.assertj.core.groups.Tuple.tuple(name("iotdr-api.eu-west-1.elb.amazonaws.com."), 60L));
        assertThat(addressOf(response)).isEqualTo("127.0.2.1");
    }

    @Test
    void aCnameQueryIsAnsweredWithTheCnameAlone() {
        Message response = ask("iot.unit.example.test.", Type.CNAME);

        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    }

    @Test
    void aNameWithoutRecordsIsNxdomainWithTheSoaAtItsNegativeTtl() {
        Message response = ask("nothing.unit.example.test.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.AUTHORITY))
                .singleElement()
                .isInstanceOfSatisfying(
                        SOARecord.class, soa -> assertThat(soa.getTTL()).isEqualTo(300));
    }

    @Test
    void aNameWithRecordsOfOtherTypesOnlyIsNoErrorWithoutAnswers() {
        Message response = ask("_failover.unit.example.test.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void aNameThatOnlyHasNamesBelowItExistsEmpty() {
        Message response = ask("sub.unit.example.test.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void txtSoaAndNsAreAnsweredAsStored() {
        assertThat(ask("_failover.unit.example.test.", Type.TXT).getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(TXTRecord.class, txt -> assertThat(txt.getStrings())
                        .containsExactly("active=us-east-1;generation=3"));
        assertThat(ask("unit.example.test.", Type.SOA).getSection(Section.ANSWER))
                .singleElement()
                .extracting(Record::getTTL)
                .isEqualTo(900L);
        assertThat(ask("unit.example.test.", Type.NS).getSection(Section.ANSWER))
                .hasSize(2);
    }

    @Test
    void aWildcardAnswersForNamesThatDoNotExistUnderItsParentWithTheAskedOwner() {
        Message wild = ask("anything.wild.unit.example.test.", Type.A);
        Message named = ask("named.wild.unit.example.test.", Type.A);

        assertThat(wild.getSection(Section.ANSWER)).singleElement().satisfies(record -> {
            assertThat(record.getName()).isEqualTo(name("anything.wild.unit.example.test."));
            assertThat(data(record)).isEqualTo("127.0.0.30");
        });
        assertThat(addressOf(named)).isEqualTo("127.0.0.31");
    }

    @Test
    void anAliasAnswersItsTargetsRecordsUnderItsOwnNameWithTheTargetsTtl() {
        assertThat(ask("alias.unit.example.test.", Type.A).getSection(Section.ANSWER))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.getName()).isEqualTo(name("alias.unit.example.test."));
                    assertThat(record.getTTL()).isEqualTo(31L);
                    assertThat(data(record)).isEqualTo("127.0.0.31");
                });
    }

    @Test
    void aOneOfManyPolicyAnswersTheFirstHealthySetByIdentifier() {
        assertThat(addressOf(ask("weighted.unit.example.test.", Type.A))).isEqualTo("127.0.0.1");

        unhealthy.add("check-a");

        assertThat(ask("weighted.unit.example.test.", Type.A).getSection(Section.ANSWER))
                .singleElement()
                .satisfies(record -> assertThat(data(record)).isEqualTo("127.0.0.2"));
    }

    @Test
    void aRegionalAwsNameAnswersItsRegionsAddress() {
        Message response = ask("xyz-ats.iot.eu-west-1.amazonaws.com.", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addressOf(response)).isEqualTo("127.0.2.1");
        assertThat(ask("xyz-ats.iot.eu-west-1.amazonaws.com.", Type.AAAA).getSection(Section.ANSWER))
                .isEmpty();
    }

    @Test
    void namesNeitherInTheZoneNorAwsRegionalAreRefused() {
        assertThat(ask("example.com.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask("xyz-ats.iot.ap-south-1.amazonaws.com.", Type.A).getRcode())
                .isEqualTo(Rcode.REFUSED);
    }

    @Test
    void ourNamesAreServfailUntilTheZoneHasBeenRead() {
        zone = Optional.empty();

        assertThat(ask("iot.unit.example.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aCnameLoopEndsWithTheRecordsSoFar() {
        Message response = ask("loop-a.unit.example.test.", Type.A);

        assertThat(response.getSection(Section.ANSWER)).hasSize(2);
    }

    @Test
    void garbageWithAQueryHeaderIsFormerrAndShorterGarbageIsIgnored() throws IOException {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x01};

        Message response = new Message(answers.respond(garbage, true).orElseThrow());

        assertThat(response.getHeader().getID()).isEqualTo(0x1234);
        assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(answers.respond(new byte[] {1, 2, 3}, true)).isEmpty();
    }

    @Test
    void aResponseIsNeverAnswered() {
        Message query = query("iot.unit.example.test.", Type.A);
        query.getHeader().setFlag(Flags.QR);

        assertThat(answers.respond(query.toWire(), true)).isEmpty();
    }

    @Test
    void udpAnswersPast512BytesAreTruncatedUnlessEdnsOffersRoomAndTcpIsNever() throws IOException {
        Message plain = query("big.unit.example.test.", Type.TXT);
        Message withEdns = query("big.unit.example.test.", Type.TXT);
        withEdns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

        Message overUdp = new Message(answers.respond(plain.toWire(), true).orElseThrow());
        Message overUdpWithEdns =
                new Message(answers.respond(withEdns.toWire(), true).orElseThrow());
        Message overTcp = new Message(answers.respond(plain.toWire(), false).orElseThrow());

        assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(overUdpWithEdns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(overUdpWithEdns.getSection(Section.ANSWER)).hasSize(1);
        assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(overTcp.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void anyBytesAreAnsweredWithAResponseOrNothingAndNeverAnException() {
        qt().withExamples(2000)
                .forAll(lists().of(integers().between(-128, 127)).ofSizeBetween(0, 80))
                .checkAssert(values -> {
                    byte[] packet = new byte[values.size()];
                    for (int i = 0; i < packet.length; i++) {
                        packet[i] = values.get(i).byteValue();
                    }
                    Optional<byte[]> answer = answers.respond(packet, true);
                    answer.ifPresent(bytes -> {
                        try {
                            assertThat(new Message(bytes).getHeader().getFlag(Flags.QR))
                                    .isTrue();
                        } catch (IOException e) {
                            throw new AssertionError("an unreadable answer", e);
                        }
                    });
                });
    }

    @Test
    void everyQueryTypeForOurNamesIsAnsweredAuthoritatively() {
        qt().forAll(arbitrary().pick(List.of(Type.A, Type.AAAA, Type.CNAME, Type.TXT, Type.SOA, Type.NS, Type.MX)))
                .checkAssert(type -> {
                    Message response = ask("iot.unit.example.test.", type);
                    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
                    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
                });
    }

    private Message ask(String name, int type) {
        try {
            return new Message(
                    answers.respond(query(name, type).toWire(), false).orElseThrow());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    }

    private static String addressOf(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(record -> ((ARecord) record).getAddress().getHostAddress())
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no A record in " + response));
    }

    private static String data(Record record) {
        return record instanceof ARecord a ? a.getAddress().getHostAddress() : record.rdataToString();
    }

    static ZoneView zone() {
        List<StoredRecordSet> sets = new ArrayList<>();
        sets.add(simple(
                "unit.example.test.",
                Type.SOA,
                900,
                "ns-2048.awsdns-64.com. hostmaster.example.com. 1 7200 900 1209600 300"));
        sets.add(simple("unit.example.test.", Type.NS, 172800, "ns-1.awsdns-01.org.", "ns-2.awsdns-02.net."));
        sets.add(StoredRecordSet.failover(
                name("iot.unit.example.test."),
                Type.CNAME,
                List.of(record("iot.unit.example.test.", Type.CNAME, 5, "abc-ats.iot.us-east-1.amazonaws.com")),
                "us-east-1",
                StoredRecordSet.FailoverRole.PRIMARY,
                Optional.of("primary-check")));
        sets.add(StoredRecordSet.failover(
                name("iot.unit.example.test."),
                Type.CNAME,
                List.of(record("iot.unit.example.test.", Type.CNAME, 5, "def-ats.iot.eu-west-1.amazonaws.com")),
                "eu-west-1",
                StoredRecordSet.FailoverRole.SECONDARY,
                Optional.of("secondary-check")));
        sets.add(simple("api.unit.example.test.", Type.CNAME, 42, "lb.unit.example.test."));
        sets.add(simple("lb.unit.example.test.", Type.CNAME, 17, "iotdr-api.eu-west-1.elb.amazonaws.com."));
        sets.add(simple("_failover.unit.example.test.", Type.TXT, 5, "\"active=us-east-1;generation=3\""));
        sets.add(simple("deep.sub.unit.example.test.", Type.A, 5, "127.0.0.9"));
        sets.add(simple("loop-a.unit.example.test.", Type.CNAME, 5, "loop-b.unit.example.test."));
        sets.add(simple("loop-b.unit.example.test.", Type.CNAME, 5, "loop-a.unit.example.test."));
        sets.add(simple("*.wild.unit.example.test.", Type.A, 30, "127.0.0.30"));
        sets.add(simple("named.wild.unit.example.test.", Type.A, 31, "127.0.0.31"));
        sets.add(new StoredRecordSet(
                name("alias.unit.example.test."),
                Type.A,
                List.of(),
                StoredRecordSet.RoutingPolicy.SIMPLE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(name("named.wild.unit.example.test."))));
        for (String id : List.of("b", "a", "c")) {
            sets.add(new StoredRecordSet(
                    name("weighted.unit.example.test."),
                    Type.A,
                    List.of(record("weighted.unit.example.test.", Type.A, 5, "127.0.0." + (id.charAt(0) - 'a' + 1))),
                    StoredRecordSet.RoutingPolicy.ONE_OF,
                    Optional.of(id),
                    Optional.empty(),
                    Optional.of("check-" + id),
                    Optional.empty()));
        }
        String chunk = "\"" + "x".repeat(250) + "\"";
        sets.add(simple("big.unit.example.test.", Type.TXT, 5, chunk + " " + chunk + " " + chunk));
        return new ZoneView(APEX, "Z1", sets, Map.of());
    }

    private static StoredRecordSet simple(String name, int type, long ttl, String... values) {
        List<Record> records = new ArrayList<>();
        for (String value : values) {
            records.add(record(name, type, ttl, value));
        }
        return StoredRecordSet.simple(name(name), type, records);
    }

    private static Record record(String name, int type, long ttl, String value) {
        try {
            return Record.fromString(name(name), type, DClass.IN, ttl, value, Name.root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Name name(String text) {
        return Name.fromConstantString(text);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
