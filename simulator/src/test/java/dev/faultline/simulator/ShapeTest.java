package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeTest {

  private static final Effect EFFECT = Effect.errors(0.4, Map.of("500", 1.0), 1.0);

  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void stepWeightIsTheOverlapAsBefore() {
    ModelFault step = new ModelFault("m", s(100), s(200), EFFECT);
    for (long end = 90; end <= 220; end += 5) {
      assertEquals(step.overlap(s(end), s(10)), step.weight(s(end), s(10)), "window ending " + end);
    }
    assertEquals(0.5, step.weight(s(105), s(10)));
    assertEquals(1.0, step.weight(s(150), s(10)));
  }

  @Test
  void rampGrowsLinearlyFromNothingToFullThenStays() {
    Shape ramp = Shape.ramp(s(480));
    assertEquals(0.0, ramp.intensityAt(0));
    assertEquals(0.5, ramp.intensityAt(240_000));
    assertEquals(1.0, ramp.intensityAt(480_000));
    assertEquals(1.0, ramp.intensityAt(900_000));
    // The integral of a linear ramp over its whole length is half of it.
    assertEquals(240_000, ramp.integral(0, 480_000), 1e-6);
    // A window (t - 10 s, t] in the ramp has the mean intensity at its middle, t - 5 s.
    ModelFault f = new ModelFault("m", s(1000), s(3000), EFFECT, ramp);
    assertEquals((240.0 - 5) / 480, f.weight(s(1240), s(10)), 1e-9);
    // Straddling the end of the ramp: half the window at mean 0.99..1, half at 1.
    double straddle = (5 * ((475.0 + 480) / 2 / 480) + 5) / 10;
    assertEquals(straddle, f.weight(s(1485), s(10)), 1e-9);
    assertEquals(1.0, f.weight(s(2000), s(30)), 1e-9);
    // Windows before the fault or after its end carry nothing.
    assertEquals(0.0, f.weight(s(1000), s(10)));
    assertEquals(0.0, f.weight(s(3010), s(10)));
    assertEquals(0.25, f.intensityAt(s(1120)), 1e-9);
    assertEquals(0.0, f.intensityAt(s(3000)));
  }

  @Test
  void intermittentIsOnForOnAndOffForOffRepeating() {
    Shape flap = Shape.intermittent(s(10), s(10));
    ModelFault f = new ModelFault("m", s(600), s(1500), EFFECT, flap);
    for (int k = 0; k < 45; k++) {
      long end = 600 + 10L * (k + 1);
      assertEquals(k % 2 == 0 ? 1.0 : 0.0, f.weight(s(end), s(10)), "window ending " + end);
    }
    // A 30 s window over a 10/10 cycle holds 20 s or 10 s of effect.
    assertEquals(20.0 / 30, f.weight(s(630), s(30)), 1e-9);
    assertEquals(10.0 / 30, f.weight(s(640), s(30)), 1e-9);
    // 20 s on / 40 s off: a third of any whole number of cycles.
    Shape sparse = Shape.intermittent(s(20), s(40));
    assertEquals(20_000 * 5, sparse.integral(0, 300_000), 1e-6);
    assertEquals(1.0, sparse.intensityAt(19_999));
    assertEquals(0.0, sparse.intensityAt(20_000));
    assertEquals(1.0, sparse.intensityAt(60_000));
  }

  @Test
  void badShapesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Shape.ramp(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Shape.intermittent(s(10), Duration.ZERO));
  }
}
