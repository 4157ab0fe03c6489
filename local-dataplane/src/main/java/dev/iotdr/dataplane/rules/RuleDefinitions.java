package dev.iotdr.dataplane.rules;

import java.util.List;

/** The topic rules stored in the region's registry; the port rule loading reads through. */
interface RuleDefinitions {
    /** A stored rule by name, as GetTopicRule answers it. */
    record Stored(String name, software.amazon.awssdk.services.iot.model.TopicRule rule) {}

    /**
     * Every stored rule, enabled or not.
     *
     * @throws RuntimeException when the registry cannot be read; the caller keeps what it had
     */
    List<Stored> load();
}
