package dev.iotdr.deploy.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    private static final Map<String, Set<Long>> EXPECTED = Map.of("a", Set.of(1L, 2L, 3L), "b", Set.of(1L, 2L));

    @Test
    void everythingInTheSurvivorsHotStoreIsDelivered() {
        Map<String, Set<Long>> survivor = Map.of("a", Set.of(1L, 2L, 3L), "b", Set.of(1L, 2L));

        assertThat(DeliveryLedger.lost(EXPECTED, survivor::get, thing -> Set.of()))
                .isZero();
    }

    @Test
    void aMissingSequenceNumberIsLost() {
        Map<String, Set<Long>> survivor = Map.of("a", Set.of(1L, 3L), "b", Set.of(1L, 2L));

        assertThat(DeliveryLedger.lost(EXPECTED, survivor::get, thing -> Set.of()))
                .isEqualTo(1);
    }

    @Test
    void whatWasLeftInTheFailedRegionsQueueIsDeliveredLater() {
        Map<String, Set<Long>> survivor = Map.of("a", Set.of(1L), "b", Set.of(1L, 2L));
        Map<String, Set<Long>> leftInQueue = Map.of("a", Set.of(2L, 3L));

        assertThat(DeliveryLedger.lost(EXPECTED, survivor::get, thing -> leftInQueue.getOrDefault(thing, Set.of())))
                .isZero();
    }

    @Test
    void aDeviceNothingWasFoundOfHasLostEverythingExpectedOfIt() {
        Map<String, Set<Long>> survivor = Map.of("a", Set.of(1L, 2L, 3L));

        assertThat(DeliveryLedger.lost(EXPECTED, thing -> survivor.getOrDefault(thing, Set.of()), thing -> Set.of()))
                .isEqualTo(2);
    }

    @Test
    void messagesNotExpectedDoNotMakeUpForMissingOnes() {
        // seq 9 was still buffered (not expected) but arrived; seq 2 of "a" did not
        Map<String, Set<Long>> survivor = Map.of("a", Set.of(1L, 3L, 9L), "b", Set.of(1L, 2L, 7L, 8L));

        assertThat(DeliveryLedger.lost(EXPECTED, survivor::get, thing -> Set.of()))
                .isEqualTo(1);
    }
}
