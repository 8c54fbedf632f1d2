package dev.faultline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.simulator.Fleet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaledFleetTest {

  private static final List<String> SEED =
      List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");

  @Test
  void everySizeHasExactlyThatManyModelsAndOneHostEach() {
    for (int size : new int[] {4, 10, 13, 100, 1000}) {
      Fleet fleet = ScaledFleet.of(size);
      assertEquals(size, fleet.models().size());
      assertEquals(size, fleet.nodes().size());
    }
  }

  @Test
  void schedEastServesExactlyTheSeedModelsAtAnySize() {
    assertEquals(SEED, ScaledFleet.of(10).modelsUsing("scheduler", "sched-east"));
    assertEquals(SEED, ScaledFleet.of(1000).modelsUsing("scheduler", "sched-east"));
  }

  @Test
  void aFleetSmallerThanTheSeedModelsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ScaledFleet.of(3));
  }
}
