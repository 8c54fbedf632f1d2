package dev.faultline.jobs.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tunables of the correlation, with defaults chosen for 10-second windows and collectors that
 * arrive up to a minute late. All durations are event time. The method behind each is in
 * stream-jobs/README.md; {@link #load(Path)} reads any of them from a YAML or JSON file ({@code
 * snake_case} or {@code camelCase} keys, durations as {@code 10s}, {@code 5m}, {@code 1h}, {@code
 * 500ms} or ISO-8601).
 *
 * @param outOfOrderness how far behind the newest record the watermark trails
 * @param idleness after how long without records a source partition stops holding the watermark
 * @param maxFuture a record stamped further ahead of the time Kafka received it is dead-lettered
 * @param maxClockSkew how far ahead of its receive time a record may move the watermark (collector
 *     clocks skewed by up to this much are on time)
 * @param minRequests windows with fewer requests are pooled until they have this many
 * @param minErrorExcess the smallest rise of a model's error ratio above its baseline worth a page
 *     (absolute) ...
 * @param minErrorFactor ... and relative: the window's ratio must reach {@code baseline +
 *     max(minErrorExcess, baseline × (minErrorFactor − 1))}
 * @param windowAlpha a window is bad only when its errors are this unlikely at the baseline ratio
 *     (evidence of {@code ln(1/windowAlpha)} nats)
 * @param decisiveErrorRatio a single window degrades a model at once when its error ratio is above
 *     this beyond doubt ...
 * @param decisiveAlpha ... at this chance of being wrong
 * @param maxBaselineErrorRatio a model never learns more than this error ratio as normal
 * @param latencyFactor a window is bad when its p50 latency or p50 time to first token reaches this
 *     multiple of the baseline ...
 * @param tailLatencyFactor ... or its p95 or p99 this multiple ...
 * @param noiseSigmas ... and in both cases at least this many robust standard deviations (of the
 *     logarithm) above the baseline median, so a model with noisy latency needs a larger rise; the
 *     same many standard deviations of a model's window-to-window error ratio bound the smallest
 *     rise of errors worth a page
 * @param baselineWindows windows a series must have learned before it is judged
 * @param baselineHorizon how much healthy history the baseline keeps (in 30 buckets)
 * @param confirmWindows the last windows looked at to confirm weak evidence ...
 * @param confirmBad ... of which this many must be bad (not necessarily in a row)
 * @param collapseRatio traffic below this share of the model's normal request rate counts as a
 *     failure while its probes fail
 * @param recoverAfter sustained clean period before a degraded model counts as recovered
 * @param silenceAfter a series without windows for this long (in watermark time) is silent
 * @param groupingHold how long after a model's detection the correlator waits for other models
 *     before it opens an incident (on the fleet clock)
 * @param precursorLookback how far before an onset GPU pressure counts as a precursor
 * @param gpuHeadroomLoss GPU pressure: the share of a GPU's own normal free memory that is gone ...
 * @param gpuSustainedSamples ... for this many consecutive samples
 * @param retention a model (or deployment) silent this long is retired: every stage forgets it, and
 *     an incident left with only retired models resolves
 * @param holdOnWatermark decide holds on the watermark instead of the fleet clock (replay)
 */
public record CorrelationSettings(
    Duration outOfOrderness,
    Duration idleness,
    Duration maxFuture,
    Duration maxClockSkew,
    long minRequests,
    double minErrorExcess,
    double minErrorFactor,
    double windowAlpha,
    double decisiveErrorRatio,
    double decisiveAlpha,
    double maxBaselineErrorRatio,
    double latencyFactor,
    double tailLatencyFactor,
    double noiseSigmas,
    int baselineWindows,
    Duration baselineHorizon,
    int confirmWindows,
    int confirmBad,
    double collapseRatio,
    Duration recoverAfter,
    Duration silenceAfter,
    Duration groupingHold,
    Duration precursorLookback,
    double gpuHeadroomLoss,
    int gpuSustainedSamples,
    Duration retention,
    boolean holdOnWatermark)
    implements Serializable {

  public CorrelationSettings {
    if (confirmBad < 1 || confirmBad > confirmWindows || confirmWindows > 30) {
      throw new IllegalArgumentException(
          "confirm_bad must be between 1 and confirm_windows (at most 30), was "
              + confirmBad
              + " of "
              + confirmWindows);
    }
    check("window_alpha", windowAlpha);
    check("decisive_alpha", decisiveAlpha);
  }

  private static void check(String name, double probability) {
    if (!(probability > 0 && probability < 1)) {
      throw new IllegalArgumentException(name + " must be within (0, 1), was " + probability);
    }
  }

  /** The defaults. */
  public static CorrelationSettings defaults() {
    return new CorrelationSettings(
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofSeconds(15),
        20,
        0.05,
        2.0,
        1e-3,
        0.5,
        1e-6,
        0.3,
        2.0,
        3.0,
        5.0,
        6,
        Duration.ofHours(1),
        4,
        2,
        0.1,
        Duration.ofMinutes(5),
        Duration.ofSeconds(90),
        Duration.ofSeconds(4),
        Duration.ofMinutes(15),
        0.5,
        3,
        Duration.ofHours(24),
        false);
  }

  /** The same settings with another watermark out-of-orderness bound. */
  public CorrelationSettings withOutOfOrderness(Duration value) {
    return with("out_of_orderness", value.toString());
  }

  /** The same settings, deciding holds on the watermark (for bounded replays). */
  public CorrelationSettings forReplay() {
    return with("hold_on_watermark", "true");
  }

  /** The same settings with one of them changed, by name ({@code snake_case} or camelCase). */
  public CorrelationSettings with(String name, String value) {
    return with(Map.of(name, value));
  }

  /**
   * The same settings with the named ones changed (values as text, as in a settings file).
   *
   * @throws IllegalArgumentException naming the setting when a name is unknown or a value invalid
   */
  public CorrelationSettings with(Map<String, String> changes) {
    RecordComponent[] components = CorrelationSettings.class.getRecordComponents();
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        values[i] = components[i].getAccessor().invoke(this);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    for (Map.Entry<String, String> change : changes.entrySet()) {
      int i = indexOf(components, change.getKey());
      values[i] = parse(components[i], change.getValue());
    }
    try {
      Constructor<CorrelationSettings> c =
          CorrelationSettings.class.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return c.newInstance(values);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The defaults with the settings of a YAML or JSON file (an object of setting names to values)
   * laid over them.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and setting when a name or value is wrong
   */
  public static CorrelationSettings load(Path file) throws IOException {
    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return defaults();
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException(file + ": expected a mapping of setting names to values");
    }
    Map<String, String> changes = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        throw new IllegalArgumentException(
            file + ": " + e.getKey() + " must be a single value, not a list or mapping");
      }
      changes.put(e.getKey(), e.getValue().asText());
    }
    try {
      return defaults().with(changes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every setting's name ({@code snake_case}) and value, in declaration order. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (RecordComponent c : CorrelationSettings.class.getRecordComponents()) {
      try {
        Object value = c.getAccessor().invoke(this);
        lines.add(snake(c.getName()) + ": " + (value instanceof Duration d ? text(d) : value));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return lines;
  }

  private static int indexOf(RecordComponent[] components, String name) {
    String wanted = name.replace("-", "_").toLowerCase(Locale.ROOT);
    for (int i = 0; i < components.length; i++) {
      String c = components[i].getName();
      if (snake(c).equals(wanted) || c.toLowerCase(Locale.ROOT).equals(wanted)) {
        return i;
      }
    }
    List<String> known = Arrays.stream(components).map(c -> snake(c.getName())).sorted().toList();
    throw new IllegalArgumentException(
        "unknown setting '" + name + "'; known: " + String.join(", ", known));
  }

  private static Object parse(RecordComponent c, String text) {
    String name = snake(c.getName());
    String value = text.trim();
    try {
      Class<?> type = c.getType();
      if (type == Duration.class) {
        return duration(value);
      }
      if (type == long.class) {
        return Long.parseLong(value);
      }
      if (type == int.class) {
        return Integer.parseInt(value);
      }
      if (type == double.class) {
        double d = Double.parseDouble(value);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      }
      if (type == boolean.class) {
        if (!value.equals("true") && !value.equals("false")) {
          throw new NumberFormatException();
        }
        return Boolean.parseBoolean(value);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + ": '" + text + "' is not a valid " + kind(c.getType()), e);
    }
    throw new IllegalStateException("no parser for " + c.getType());
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /**
   * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT10S}).
   */
  static Duration duration(String text) {
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
          };
      return Duration.ofMillis(Math.round(n * unit));
    }
    Duration d = Duration.parse(text);
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative");
    }
    return d;
  }

  private static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String kind(Class<?> type) {
    if (type == Duration.class) {
      return "duration (e.g. 10s, 5m, PT1H)";
    }
    return type == boolean.class ? "boolean (true or false)" : type.getSimpleName();
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
