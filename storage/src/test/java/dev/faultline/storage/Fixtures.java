package dev.faultline.storage;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Named instants and factories for storage tests; incidents come from files. */
final class Fixtures {

  /** Onset of the seed incident (scheduler sched-east). */
  static final Instant ONSET = Instant.parse("2026-06-22T14:03:10Z");

  /** Its recovery. */
  static final Instant RECOVERY = Instant.parse("2026-06-22T14:41:00Z");

  static final String SCHED_EAST = "inc-2026-06-22-sched-east";
  static final String LLAMA = "inc-2026-06-22-llama";

  static final List<String> AFFECTED =
      List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");

  static final Map<String, String> EAST =
      Map.of(
          Layers.REGION, "us-east-1", Layers.SCHEDULER, "sched-east", Layers.CLUSTER, "gpu-east-1");

  private Fixtures() {}

  /** The incident records of a fixture file under {@code incidents/}, in file order. */
  static List<Incident> incidents(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/incidents/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture incidents/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .map(IncidentCodec::decode)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * 10-second windows of one model ending in (from, to]: 100 requests each, 90 errors while the
   * seed incident lasts (for an affected model), 1 otherwise.
   */
  static List<ModelWindow> windows(String model, Instant from, Instant to) {
    List<ModelWindow> out = new ArrayList<>();
    for (Instant t = from.plusSeconds(10); !t.isAfter(to); t = t.plusSeconds(10)) {
      boolean failing = AFFECTED.contains(model) && t.isAfter(ONSET) && !t.isAfter(RECOVERY);
      long errors = failing ? 90 : 1;
      out.add(window(model, t, 100, errors));
    }
    return out;
  }

  static ModelWindow window(String model, Instant ts, long requests, long errors) {
    return new ModelWindow(
        ts,
        "gateway-east",
        model,
        10,
        requests,
        errors,
        errors > 0 ? Map.of("529", errors) : Map.of(),
        Quantiles.of(800 + errors, 2100 + errors, 3900 + 2 * errors),
        Quantiles.of(300, 700, 1200),
        5_000L,
        EAST,
        null);
  }

  /** A bucket start: t rounded down to the resolution. */
  static Instant floor(Instant t, Duration resolution) {
    long r = resolution.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), r) * r);
  }
}
