package dev.faultline.jobs.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetPartitionFunctionTest {

  OneInputStreamOperatorTestHarness<HealthSignal, HealthSignal> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new FleetPartitionFunction(CorrelationSettings.defaults()));
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  static HealthSignal window(String model, String source, long ts) {
    HealthSignal s = HealthSignal.of(Type.WINDOW, model, ts);
    s.source = source;
    s.windowMillis = 10_000;
    return s;
  }

  List<HealthSignal> send(HealthSignal s) throws Exception {
    harness.getOutput().clear();
    harness.processElement(s, s.ts);
    return harness.extractOutputValues();
  }

  static long forwarded(List<HealthSignal> out) {
    return out.stream().filter(s -> s.type != Type.PARTITION_CLOCK).count();
  }

  @Test
  void heartbeatsOfHealthyDeploymentsStayAndEverythingElseGoesOn() throws Exception {
    HealthSignal first = window("m", "gw", 10_000);
    first.infra.put("scheduler", "s1");
    assertEquals(1, forwarded(send(first)), "the first window of a deployment");
    assertEquals(0, forwarded(send(window("m", "gw", 20_000))), "a heartbeat");
    assertEquals(1, forwarded(send(window("m", "engine", 21_000))), "a second source");
    assertEquals(0, forwarded(send(window("m", "engine", 31_000))), "... then its heartbeats");
    assertEquals(0, forwarded(send(window("m", "gw", 30_000))), "the first source again");

    HealthSignal bad = window("m", "gw", 40_000);
    bad.suspect = true;
    assertEquals(1, forwarded(send(bad)), "a bad window");
    assertEquals(1, forwarded(send(window("m", "gw", 50_000))), "the window after a bad one");
    assertEquals(0, forwarded(send(window("m", "gw", 60_000))));

    HealthSignal down = HealthSignal.of(Type.DEGRADED, "m", 60_000);
    down.source = "gw";
    assertEquals(1, forwarded(send(down)));
    HealthSignal failing = window("m", "gw", 70_000);
    failing.degraded = true;
    failing.failed = 90;
    assertEquals(1, forwarded(send(failing)), "a degraded deployment's failures");
    HealthSignal up = HealthSignal.of(Type.RECOVERED, "m", 80_000);
    up.source = "gw";
    assertEquals(1, forwarded(send(up)));
    assertEquals(0, forwarded(send(window("m", "gw", 90_000))), "healthy again");

    HealthSignal refresh = window("m", "gw", 100_000);
    refresh.infra.put("scheduler", "s1");
    assertEquals(1, forwarded(send(refresh)), "an infrastructure refresh");
  }

  static List<Long> clocks(List<HealthSignal> out) {
    return out.stream().filter(s -> s.type == Type.PARTITION_CLOCK).map(s -> s.ts).toList();
  }

  @Test
  void thePartitionClockIsTheMinimumOverItsSeriesSentWhenItMovedASecond() throws Exception {
    // A 10 s window is known 5 s past its end (the next cannot end sooner, less the jitter).
    List<HealthSignal> out = send(window("a", "gw", 10_000));
    assertEquals(List.of(15_000L), clocks(out));
    assertEquals("0/1", out.get(out.size() - 1).source, "index/parallelism of the partition");
    assertEquals(List.of(), clocks(send(window("b", "gw", 10_400))), "b: 15.4 s, a holds it");
    assertEquals(
        List.of(), clocks(send(window("a", "gw", 20_000))), "b holds it now: moved 0.4 s only");
    assertEquals(List.of(25_000L), clocks(send(window("b", "gw", 20_600))), "a holds it: 25 s");
    HealthSignal quiet = HealthSignal.of(Type.SERIES_SILENT, "a", 40_000);
    quiet.source = "gw";
    assertEquals(List.of(), clocks(send(quiet)), "a silent: 25.6 s, less than a second on");
    assertEquals(List.of(35_600L), clocks(send(window("b", "gw", 30_600))), "b alone holds it");
  }
}
