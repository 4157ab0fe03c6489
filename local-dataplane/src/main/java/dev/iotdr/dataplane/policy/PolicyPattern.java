package dev.iotdr.dataplane.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One action, resource or condition value of a policy as written: text (in which {@code *} and {@code ?} may be
 * wildcards), policy variables {@code ${...}} and the escapes {@code $(*)}, {@code $(?)}, {@code $($)}.
 */
final class PolicyPattern {
    private sealed interface Part permits Text, Variable, Literal {}

    /** Policy text: its {@code *} and {@code ?} are wildcards where the pattern is matched as a pattern. */
    private record Text(String text) implements Part {}

    /** A policy variable, substituted as literal text. */
    private record Variable(String key) implements Part {}

    /** An escape's character, always literal. */
    private record Literal(String text) implements Part {}

    private final String source;
    private final List<Part> parts;

    private PolicyPattern(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    static PolicyPattern parse(String source) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("${", i) && source.indexOf('}', i + 2) > 0) {
                int end = source.indexOf('}', i + 2);
                flush(text, parts);
                parts.add(new Variable(source.substring(i + 2, end)));
                i = end + 1;
            } else if (source.startsWith("$(*)", i) || source.startsWith("$(?)", i) || source.startsWith("$($)", i)) {
                flush(text, parts);
                parts.add(new Literal(source.substring(i + 2, i + 3)));
                i += 4;
            } else {
                text.append(source.charAt(i));
                i++;
            }
        }
        flush(text, parts);
        return new PolicyPattern(source, parts);
    }

    private static void flush(StringBuilder text, List<Part> parts) {
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    /** Whether the value matches this pattern, with wildcards; false if a variable has no value here. */
    boolean matches(String value, ConnectionContext context, boolean ignoreCase) {
        List<Integer> codes = new ArrayList<>();
        for (Part part : parts) {
            switch (part) {
                case Text(String text) -> text.codePoints().forEach(c -> codes.add(wildcard(c)));
                case Literal(String text) -> text.codePoints().forEach(codes::add);
                case Variable(String key) -> {
                    Optional<String> resolved = context.value(key);
                    if (resolved.isEmpty()) {
                        return false;
                    }
                    resolved.get().codePoints().forEach(codes::add);
                }
            }
        }
        int[] pattern = codes.stream().mapToInt(Integer::intValue).toArray();
        String subject = value;
        if (ignoreCase) {
            subject = value.toLowerCase(Locale.ROOT);
            for (int k = 0; k < pattern.length; k++) {
                if (pattern[k] >= 0) {
                    pattern[k] = Character.toLowerCase(pattern[k]);
                }
            }
        }
        return Wildcard.matches(pattern, subject.codePoints().toArray());
    }

    /** The pattern as plain text with variables substituted and no wildcards; empty if a variable has no value. */
    Optional<String> literal(ConnectionContext context) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text(String text) -> out.append(text);
                case Literal(String text) -> out.append(text);
                case Variable(String key) -> {
                    Optional<String> resolved = context.value(key);
                    if (resolved.isEmpty()) {
                        return Optional.empty();
                    }
                    out.append(resolved.get());
                }
            }
        }
        return Optional.of(out.toString());
    }

    private static int wildcard(int codePoint) {
        return switch (codePoint) {
            case '*' -> Wildcard.ANY_RUN;
            case '?' -> Wildcard.ANY_ONE;
            default -> codePoint;
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
