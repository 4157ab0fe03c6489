package dev.iotdr.replication.registry.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass of a job over a table (or the registry's thing list).
 *
 * @param step what the pass does with each item
 * @param source for {@link Step#COPY}, the region whose table is read
 */
public record JobPhase(Step step, Optional<String> source) {

    public JobPhase {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(source, "source");
        if ((step == Step.COPY) != source.isPresent()) {
            throw new IllegalArgumentException("a COPY phase, and only it, names its source region");
        }
    }

    /** What a phase does per item. */
    public enum Step {
        /** Copies each record of a source region's table here if it ranks higher (table-copy mode). */
        COPY,
        /** Applies every device of this region's table, forced. */
        APPLY_ALL,
        /** Applies devices whose applied record is not the table's. */
        APPLY_BEHIND,
        /** Checks each record against the registry. */
        CHECK_RECORDS,
        /** Checks each fleet thing for a record (the registry's thing list, one cursor). */
        CHECK_THINGS
    }

    /** The phases of a job of {@code kind}, given the regions whose tables are copied from. */
    public static List<JobPhase> of(JobKind kind, List<String> copySources) {
        List<JobPhase> phases = new ArrayList<>();
        switch (kind) {
            case AUDIT, AUDIT_AND_REPAIR -> {
                phases.add(new JobPhase(Step.CHECK_RECORDS, Optional.empty()));
                phases.add(new JobPhase(Step.CHECK_THINGS, Optional.empty()));
            }
            case RESYNC, CATCH_UP -> {
                copySources.forEach(source -> phases.add(new JobPhase(Step.COPY, Optional.of(source))));
                phases.add(new JobPhase(kind == JobKind.RESYNC ? Step.APPLY_ALL : Step.APPLY_BEHIND, Optional.empty()));
            }
        }
        return List.copyOf(phases);
    }

    /** Stored form, e.g. {@code COPY:us-east-1} or {@code APPLY_ALL}. */
    public String code() {
        return source.map(s -> step + ":" + s).orElse(step.name());
    }

    public static JobPhase parse(String code) {
        int colon = code.indexOf(':');
        return colon < 0
                ? new JobPhase(Step.valueOf(code), Optional.empty())
                : new JobPhase(Step.valueOf(code.substring(0, colon)), Optional.of(code.substring(colon + 1)));
    }
}
