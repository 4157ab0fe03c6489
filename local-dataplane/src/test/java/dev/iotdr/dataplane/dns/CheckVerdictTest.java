package dev.iotdr.dataplane.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckVerdictTest {

    @Test
    void aNewCheckIsHealthyBeforeAnyResult() {
        assertThat(CheckVerdict.initial().healthy()).isTrue();
    }

    @Test
    void theStatusFlipsOnlyAfterThresholdConsecutiveResultsTheOtherWay() {
        qt().withExamples(500)
                .forAll(integers().between(1, 10), lists().of(booleans().all()).ofSizeBetween(0, 60))
                .checkAssert((threshold, results) -> {
                    CheckVerdict verdict = CheckVerdict.initial();
                    for (int i = 0; i < results.size(); i++) {
                        CheckVerdict next = verdict.after(results.get(i), threshold);
                        List<Boolean> recent = results.subList(Math.max(0, i - threshold + 1), i + 1);
                        boolean lastThresholdAgree =
                                recent.size() == threshold && recent.stream().allMatch(results.get(i)::equals);
                        if (next.healthy() != verdict.healthy()) {
                            assertThat(lastThresholdAgree)
                                    .as("flipped at result %d without %d agreeing results", i, threshold)
                                    .isTrue();
                        }
                        if (lastThresholdAgree) {
                            assertThat(next.healthy())
                                    .as("%d consecutive results %s at %d", threshold, results.get(i), i)
                                    .isEqualTo(results.get(i));
                        }
                        verdict = next;
                    }
                });
    }

    @Test
    void oneResultTheSameWayResetsTheStreak() {
        CheckVerdict verdict =
                CheckVerdict.initial().after(false, 3).after(false, 3).after(true, 3);

        assertThat(verdict.after(false, 3).after(false, 3).healthy()).isTrue();
        assertThat(verdict.after(false, 3).after(false, 3).after(false, 3).healthy())
                .isFalse();
    }
}
