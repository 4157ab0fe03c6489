package dev.iotdr.dataplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Resource wildcard matching against an oracle built another way (java.util.regex), and robustness. */
class PolicyWildcardPropertiesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ConnectionContext CONTEXT = ConnectionContext.unattached("c");

    /** Short strings over a small alphabet, so that wildcards and literals collide often. */
    private static Gen<String> over(String alphabet, int maxLength) {
        Gen<Character> character = integers().between(0, alphabet.length() - 1).map(alphabet::charAt);
        return lists().of(character)
                .ofSizeBetween(0, maxLength)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    @Test
    void resourceMatchingAgreesWithARegexOracle() {
        qt().forAll(over("ab/+#*?", 8), over("ab/+#", 8)).checkAssert((pattern, resource) -> {
            IotPolicy policy = IotPolicy.parse(policyWithResource(pattern));
            boolean oracle = Pattern.compile(regexOf(pattern), Pattern.DOTALL)
                    .matcher(resource)
                    .matches();
            assertThat(policy.allows(IotAction.PUBLISH, resource, CONTEXT))
                    .as("pattern %s on %s", pattern, resource)
                    .isEqualTo(oracle);
        });
    }

    @Test
    void parsingArbitraryTextEitherSucceedsOrSaysWhyNeverAnythingElse() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(text -> {
            try {
                IotPolicy.parse(text);
            } catch (InvalidPolicyException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void evaluatingArbitraryResourcesAndClientIdsNeverThrows() {
        IotPolicy device = IotPolicy.parse(dev.iotdr.shared.contract.DevicePolicy.document());
        qt().forAll(
                        strings().allPossible().ofLengthBetween(0, 30),
                        strings().allPossible().ofLengthBetween(0, 30))
                .checkAssert((resource, clientId) -> {
                    for (IotAction action : IotAction.values()) {
                        device.evaluate(action, resource, ConnectionContext.unattached(clientId));
                        device.evaluate(
                                action,
                                resource,
                                new ConnectionContext(
                                        clientId, java.util.Optional.of(AttachedThing.named("t" + clientId))));
                    }
                });
    }

    private static String policyWithResource(String resource) {
        ObjectNode statement = JSON.createObjectNode()
                .put("Effect", "Allow")
                .put("Action", "iot:Publish")
                .put("Resource", resource);
        ObjectNode policy = JSON.createObjectNode();
        policy.set("Statement", JSON.createArrayNode().add(statement));
        return JSON.writeValueAsString(policy);
    }

    private static String regexOf(String pattern) {
        return List.of(pattern.split("")).stream()
                .filter(s -> !s.isEmpty())
                .map(s -> switch (s) {
                    case "*" -> ".*";
                    case "?" -> ".";
                    default -> Pattern.quote(s);
                })
                .collect(Collectors.joining());
    }
}
