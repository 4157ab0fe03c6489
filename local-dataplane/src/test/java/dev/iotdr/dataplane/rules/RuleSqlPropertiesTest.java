package dev.iotdr.dataplane.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Arbitrary rule text and topics: the parser only ever answers or says why; FROM matching agrees with a regex. */
class RuleSqlPropertiesTest {
    private static Gen<String> over(String alphabet, int maxLength) {
        Gen<Character> character = integers().between(0, alphabet.length() - 1).map(alphabet::charAt);
        return lists().of(character)
                .ofSizeBetween(0, maxLength)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    @Test
    void parsingArbitraryTextEitherSucceedsOrRaisesUnsupportedRule() {
        Gen<String> sqlish = over("SELECT *,()'=<>!.ANDORNOTWHEREFROMtopicab12 #+/", 40);
        qt().forAll(sqlish.mix(strings().allPossible().ofLengthBetween(0, 40))).checkAssert(text -> {
            try {
                RuleSql sql = RuleSql.parse(text);
                sql.evaluate(new InboundMessage(
                        "a/b", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(), 0));
            } catch (UnsupportedRuleException | RuleEvaluationException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void fromMatchingAgreesWithARegexOracleOnPlainTopics() {
        qt().forAll(over("ab/+#", 7), over("ab/", 7)).checkAssert((filter, topic) -> {
            TopicFilter parsed;
            try {
                parsed = TopicFilter.parse(filter);
            } catch (UnsupportedRuleException invalid) {
                return;
            }
            assertThat(parsed.matches(topic)).as("%s on %s", filter, topic).isEqualTo(oracle(filter, topic));
        });
    }

    /** The filter as a regex: + is one level, a trailing /# is the parent level or anything below it. */
    private static boolean oracle(String filter, String topic) {
        String regex;
        if (filter.equals("#")) {
            regex = ".*";
        } else {
            boolean rest = filter.endsWith("/#");
            String head = rest ? filter.substring(0, filter.length() - 2) : filter;
            regex = java.util.Arrays.stream(head.split("/", -1))
                            .map(level -> level.equals("+") ? "[^/]*" : Pattern.quote(level))
                            .collect(Collectors.joining("/"))
                    + (rest ? "(/.*)?" : "");
        }
        return Pattern.compile(regex, Pattern.DOTALL).matcher(topic).matches();
    }
}
