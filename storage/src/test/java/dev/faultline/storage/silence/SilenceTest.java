package dev.faultline.storage.silence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceTest {

  private static final Instant START = Instant.parse("2026-06-22T14:00:00Z");
  private static final Instant END = START.plusSeconds(7200);
  private static final Incident.Suspected SCHED =
      new Incident.Suspected(Layers.SCHEDULER, "sched-east", 0.9);
  private static final List<String> OPUS = List.of("claude-opus-4.8", "claude-opus-4.7");

  private static Silence silence(Silence.Matcher m, String value) {
    return new Silence(0, m, value, START, END, "maintenance", "sre", START);
  }

  @Test
  void aComponentOrLayerSilenceCoversIncidentsThatSuspectIt() {
    assertTrue(
        Silence.silenced(
            List.of(silence(Silence.Matcher.COMPONENT, "sched-east")), OPUS, SCHED, START));
    assertTrue(
        Silence.silenced(
            List.of(silence(Silence.Matcher.LAYER, Layers.SCHEDULER)), OPUS, SCHED, START));
    assertFalse(
        Silence.silenced(
            List.of(silence(Silence.Matcher.COMPONENT, "sched-west")), OPUS, SCHED, START));
    assertFalse(
        Silence.silenced(
            List.of(silence(Silence.Matcher.COMPONENT, "sched-east")), OPUS, null, START));
  }

  @Test
  void modelSilencesCoverAnIncidentOnlyWhenEveryModelIsSilenced() {
    Silence one = silence(Silence.Matcher.MODEL, "claude-opus-4.8");
    Silence two = silence(Silence.Matcher.MODEL, "claude-opus-4.7");
    assertFalse(Silence.silenced(List.of(one), OPUS, SCHED, START), "the other model still fails");
    assertTrue(Silence.silenced(List.of(one, two), OPUS, SCHED, START));
    assertTrue(Silence.silenced(List.of(one), List.of("claude-opus-4.8"), null, START));
  }

  @Test
  void onlyBetweenItsStartAndEnd() {
    List<Silence> s = List.of(silence(Silence.Matcher.LAYER, Layers.SCHEDULER));
    assertFalse(Silence.silenced(s, OPUS, SCHED, START.minusSeconds(1)));
    assertTrue(Silence.silenced(s, OPUS, SCHED, END.minusMillis(1)));
    assertFalse(Silence.silenced(s, OPUS, SCHED, END), "ends at its end");
  }

  @Test
  void refusesAnEmptyWindowOrReason() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Silence(0, Silence.Matcher.LAYER, Layers.SCHEDULER, END, START, "x", "sre", START));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Silence(0, Silence.Matcher.LAYER, Layers.SCHEDULER, START, END, " ", "sre", START));
  }
}
