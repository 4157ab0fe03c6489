package dev.iotdr.shared.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A thing's searchable attributes as AWS IoT accepts them: at most {@value #MAX_ENTRIES} entries, names of
 * up to 128 characters of {@code [a-zA-Z0-9_.,@/:#-]}, values of up to 800 characters of
 * {@code [a-zA-Z0-9_.,@/:#=\[\]-]}. (IoT allows more than three only on a thing that has a thing type.)
 */
public record ThingAttributes(Map<String, String> values) {
    public static final int MAX_ENTRIES = 50;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]+");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]*");
    private static final ThingAttributes NONE = new ThingAttributes(Map.of());

    public ThingAttributes {
        Checks.required("attributes", values);
        if (values.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "at most " + MAX_ENTRIES + " attributes are allowed, got " + values.size());
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        values.forEach((name, value) -> {
            Checks.matching("attribute name", name, NAME, 1, 128);
            Checks.matching("value of attribute '" + name + "'", value, VALUE, 0, 800);
            sorted.put(name, value);
        });
        values = Collections.unmodifiableSortedMap(sorted);
    }

    public static ThingAttributes none() {
        return NONE;
    }

    public static ThingAttributes of(Map<String, String> values) {
        return new ThingAttributes(values);
    }
}
