package dev.iotdr.dataplane.rules;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ListTopicRulesResponse;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.TopicRuleListItem;

/** Reads the region's topic rules from IoT: ListTopicRules (every page), then GetTopicRule for each. */
final class IotRuleDefinitions implements RuleDefinitions {
    private final IotClient iot;

    IotRuleDefinitions(IotClient iot) {
        this.iot = iot;
    }

    @Override
    public List<Stored> load() {
        List<Stored> rules = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            ListTopicRulesResponse response = iot.listTopicRules(r -> r.nextToken(page));
            for (TopicRuleListItem item : response.rules()) {
                try {
                    rules.add(new Stored(
                            item.ruleName(),
                            iot.getTopicRule(r -> r.ruleName(item.ruleName())).rule()));
                } catch (ResourceNotFoundException deletedSinceListed) {
                    // gone between the two calls: it is not a rule any more
                }
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return rules;
    }
}
