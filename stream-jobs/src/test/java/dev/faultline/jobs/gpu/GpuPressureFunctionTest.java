package dev.faultline.jobs.gpu;

import static dev.faultline.jobs.Fixtures.ONSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.GpuSample;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.Observation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GPU pressure judged against each GPU's own normal, not a fixed share of its memory. */
class GpuPressureFunctionTest {

  static final double TOTAL = 81_920;

  KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new GpuPressureFunction(CorrelationSettings.defaults()),
            GpuPressureFunction::keyOf,
            Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  void sample(Instant ts, double share, int xid) throws Exception {
    Observation o =
        Observation.of(
            new GpuSample(
                ts,
                "dcgm",
                "node-1",
                0,
                share * TOTAL,
                TOTAL,
                80.0,
                xid,
                List.of("m"),
                Map.of("cluster", "c1")));
    harness.processElement(o, o.ts);
  }

  List<HealthSignal> precursors() {
    return harness.extractOutputValues();
  }

  @Test
  void aGpuThatAlwaysSitsAtNinetyPercentIsNormal() throws Exception {
    // vLLM pre-allocates 90% of the frame buffer: two hours of it, every 15 s, with small noise.
    for (int i = 0; i < 480; i++) {
      sample(ONSET.plusSeconds(15L * i), 0.90 + 0.002 * (i % 3), 0);
    }
    assertEquals(List.of(), precursors());
  }

  @Test
  void losingHalfItsOwnHeadroomIsPressure() throws Exception {
    for (int i = 0; i < 60; i++) {
      sample(ONSET.plusSeconds(15L * i), 0.90, 0);
    }
    // 95%: half of the normal 10% free is gone, for three samples.
    for (int i = 60; i < 63; i++) {
      sample(ONSET.plusSeconds(15L * i), 0.95, 0);
    }
    assertEquals(1, precursors().size(), precursors()::toString);
    assertTrue(precursors().get(0).reason.contains("normally 90%"), precursors().get(0).reason);
  }

  @Test
  void aClimbFromItsOwnNormalTowardFullIsAPrecursorBeforeItIsNearlyFull() throws Exception {
    for (int i = 0; i < 60; i++) {
      sample(ONSET.plusSeconds(15L * i), 0.50, 0);
    }
    // Two points every 15 s from 50%: full in under ten minutes once a quarter of the headroom
    // (62.5%) is gone.
    double share = 0.50;
    int i = 60;
    while (precursors().isEmpty() && share < 1) {
      share += 0.02;
      sample(ONSET.plusSeconds(15L * i++), share, 0);
    }
    assertEquals(1, precursors().size());
    assertTrue(share >= 0.625 && share < 0.8, "precursor at " + share);
    assertTrue(precursors().get(0).reason.contains("rising"), precursors().get(0).reason);
  }

  @Test
  void anXidErrorIsAPrecursorWhateverTheMemory() throws Exception {
    sample(ONSET, 0.40, 79);
    assertEquals(1, precursors().size());
    assertTrue(precursors().get(0).reason.startsWith("XID 79"), precursors().get(0).reason);
  }
}
