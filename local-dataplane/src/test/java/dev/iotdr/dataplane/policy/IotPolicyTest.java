package dev.iotdr.dataplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing and evaluating policy documents: wildcards, variables, conditions and deny precedence. */
class IotPolicyTest {
    private static final IotResourceArns ARNS = new IotResourceArns("us-east-1", "123456789012");
    private static final ConnectionContext THING = ConnectionContext.attached(AttachedThing.named("t1"));

    @Test
    void statementMayBeASingleObjectAndActionAndResourceSingleStrings() {
        IotPolicy policy = IotPolicy.parse("""
                {"Statement": {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/a"}}
                """);
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("a"), THING)).isTrue();
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("b"), THING)).isFalse();
    }

    @Test
    void actionWildcardsMatchCaseInsensitively() {
        IotPolicy policy = IotPolicy.parse(allow("\"IOT:*\"", "\"*\""));
        for (IotAction action : IotAction.values()) {
            assertThat(policy.allows(action, ARNS.topic("x"), THING))
                    .as(action.name())
                    .isTrue();
        }
        IotPolicy pub = IotPolicy.parse(allow("\"iot:Pub?ish\"", "\"*\""));
        assertThat(pub.allows(IotAction.PUBLISH, ARNS.topic("x"), THING)).isTrue();
        assertThat(pub.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("x"), THING))
                .isFalse();
    }

    @Test
    void anExplicitDenyWinsOverAnAllowInTheSamePolicy() {
        IotPolicy policy = IotPolicy.parse("""
                {"Statement": [
                  {"Effect": "Allow", "Action": "iot:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/secret/*"}]}
                """);
        assertThat(policy.evaluate(IotAction.PUBLISH, ARNS.topic("secret/x"), THING))
                .isEqualTo(PolicyDecision.EXPLICITLY_DENIED);
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("public/x"), THING))
                .isTrue();
    }

    @Test
    void withSeveralPoliciesAnyAllowSufficesAndAnyDenyWins() {
        IotPolicy allowA = IotPolicy.parse(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/a\""));
        IotPolicy allowB = IotPolicy.parse(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/b\""));
        IotPolicy denyB = IotPolicy.parse("""
                {"Statement": [{"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/b"}]}
                """);
        assertThat(AttachedPolicies.of(allowA, allowB).allows(IotAction.PUBLISH, ARNS.topic("b"), THING))
                .isTrue();
        assertThat(AttachedPolicies.of(allowA, allowB, denyB).evaluate(IotAction.PUBLISH, ARNS.topic("b"), THING))
                .isEqualTo(PolicyDecision.EXPLICITLY_DENIED);
        assertThat(AttachedPolicies.of().allows(IotAction.PUBLISH, ARNS.topic("a"), THING))
                .as("no policy, no permission")
                .isFalse();
    }

    @Test
    void mqttWildcardsInAResourceAreLiteralCharacters() {
        IotPolicy policy = IotPolicy.parse(allow("\"iot:Subscribe\"", "\"arn:aws:iot:*:*:topicfilter/a/+\""));
        assertThat(policy.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("a/+"), THING))
                .isTrue();
        assertThat(policy.allows(IotAction.SUBSCRIBE, ARNS.topicFilter("a/b"), THING))
                .isFalse();
    }

    @Test
    void clientIdVariableIsSubstitutedAsLiteralText() {
        IotPolicy policy = IotPolicy.parse(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/c/${iot:ClientId}\""));
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("c/dev-9"), ConnectionContext.unattached("dev-9")))
                .isTrue();
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("c/anything"), ConnectionContext.unattached("*")))
                .as("a client id of * is not a wildcard")
                .isFalse();
    }

    @Test
    void anUnresolvableVariableLeavesTheStatementUnmatched() {
        IotPolicy typed = IotPolicy.parse(
                allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/type/${iot:Connection.Thing.ThingTypeName}/*\""));
        ConnectionContext withType =
                ConnectionContext.attached(new AttachedThing("t1", Optional.of("sensor"), Map.of()));
        assertThat(typed.allows(IotAction.PUBLISH, ARNS.topic("type/sensor/x"), withType))
                .isTrue();
        assertThat(typed.allows(IotAction.PUBLISH, ARNS.topic("type//x"), THING))
                .as("a thing without a type: the variable does not become empty text")
                .isFalse();
        IotPolicy unknown = IotPolicy.parse(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/${iot:NoSuchVar}*\""));
        assertThat(unknown.allows(IotAction.PUBLISH, ARNS.topic("x"), THING)).isFalse();
    }

    @Test
    void escapesStandForLiteralSpecialCharacters() {
        IotPolicy policy = IotPolicy.parse(allow("\"iot:Publish\"", "\"arn:aws:iot:*:*:topic/a$(*)b\""));
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("a*b"), THING)).isTrue();
        assertThat(policy.allows(IotAction.PUBLISH, ARNS.topic("axxb"), THING)).isFalse();
    }

    @Test
    void isAttachedConditionRequiresTheThing() {
        IotPolicy policy = IotPolicy.parse("""
                {"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
                  "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": ["true"]}}}]}
                """);
        assertThat(policy.allows(IotAction.CONNECT, ARNS.client("t1"), THING)).isTrue();
        assertThat(policy.allows(IotAction.CONNECT, ARNS.client("t1"), ConnectionContext.unattached("t1")))
                .isFalse();
    }

    @Test
    void stringConditionsCompareKeysWithVariablesAndPatterns() {
        IotPolicy equals = IotPolicy.parse("""
                {"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
                  "Condition": {"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingName}"}}}]}
                """);
        assertThat(equals.allows(IotAction.CONNECT, ARNS.client("t1"), THING)).isTrue();
        assertThat(equals.allows(
                        IotAction.CONNECT,
                        ARNS.client("other"),
                        new ConnectionContext("other", Optional.of(AttachedThing.named("t1")))))
                .isFalse();

        IotPolicy like = IotPolicy.parse("""
                {"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
                  "Condition": {"StringLike": {"iot:Connection.Thing.Attributes[fleet]": "blue-*"}}}]}
                """);
        ConnectionContext blue =
                ConnectionContext.attached(new AttachedThing("t1", Optional.empty(), Map.of("fleet", "blue-7")));
        ConnectionContext red =
                ConnectionContext.attached(new AttachedThing("t1", Optional.empty(), Map.of("fleet", "red-7")));
        assertThat(like.allows(IotAction.CONNECT, ARNS.client("t1"), blue)).isTrue();
        assertThat(like.allows(IotAction.CONNECT, ARNS.client("t1"), red)).isFalse();
        assertThat(like.allows(IotAction.CONNECT, ARNS.client("t1"), THING))
                .as("a missing attribute matches nothing")
                .isFalse();
    }

    @Test
    void whatCannotBeEvaluatedIsRejectedAtParseNamingIt() {
        assertThatThrownBy(() -> IotPolicy.parse("""
                        {"Statement": [{"Effect": "Allow", "NotAction": "iot:Connect", "Resource": "*"}]}
                        """))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("NotAction");
        assertThatThrownBy(() -> IotPolicy.parse("""
                        {"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
                          "Condition": {"StringLikeIfExists": {"iot:ClientId": "a*"}}}]}
                        """))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("StringLikeIfExists");
        assertThatThrownBy(() -> IotPolicy.parse(allow("\"iot:Connect\"", "[]")))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("Resource is empty");
        assertThatThrownBy(() -> IotPolicy.parse("{\"Statement\": [{\"Effect\": \"Maybe\"}]}"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("Allow");
        assertThatThrownBy(() -> IotPolicy.parse("not json"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("not JSON");
    }

    private static String allow(String action, String resource) {
        return "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": " + action + ", \"Resource\": " + resource + "}]}";
    }
}
