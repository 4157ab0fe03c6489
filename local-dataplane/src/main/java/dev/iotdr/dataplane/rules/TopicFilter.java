package dev.iotdr.dataplane.rules;

import java.util.List;
import java.util.Objects;

/**
 * An MQTT topic filter ({@code +} one level, {@code #} the rest) as a rule's FROM names it. As in MQTT, a filter
 * starting with a wildcard never matches a topic starting with {@code $}: {@code $aws/...} topics match only a
 * filter that names their first level.
 */
record TopicFilter(String filter, List<String> levels) {
    TopicFilter {
        Objects.requireNonNull(filter, "filter");
        levels = List.copyOf(levels);
    }

    static TopicFilter parse(String filter) {
        if (filter.isEmpty()) {
            throw new UnsupportedRuleException("FROM names an empty topic filter; give e.g. 'dt/fleet/+/telemetry'");
        }
        List<String> levels = List.of(filter.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.contains("#") && (!level.equals("#") || i != levels.size() - 1)) {
                throw new UnsupportedRuleException("FROM '" + filter
                        + "' is not a valid MQTT topic filter: # must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new UnsupportedRuleException(
                        "FROM '" + filter + "' is not a valid MQTT topic filter: + must be a whole level");
            }
        }
        return new TopicFilter(filter, levels);
    }

    boolean matches(String topic) {
        String[] topicLevels = topic.split("/", -1);
        if (topic.startsWith("$") && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return topicLevels.length == levels.size();
    }
}
