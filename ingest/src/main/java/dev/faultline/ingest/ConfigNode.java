package dev.faultline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML mapping with its path, whose typed getters fail naming the field and where it is in the
 * file (line and column).
 */
final class ConfigNode {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private final JsonNode node;
  private final String path;
  private final String pointer;
  private final ConfigLocations locations;

  ConfigNode(JsonNode node, String path, String pointer, ConfigLocations locations) {
    this.node = node;
    this.path = path;
    this.pointer = pointer;
    this.locations = locations;
  }

  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private String pointer(String name) {
    return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  /**
   * A failure of setting {@code name} (null: this mapping), located where it is written, else where
   * this mapping is.
   */
  IngestConfigException fail(String name, String reason) {
    ConfigLocations.At at = name == null ? null : locations.of(pointer(name));
    if (at == null) {
      at = locations.of(pointer);
    }
    String field = name == null ? (path.isEmpty() ? null : path) : field(name);
    return at == null
        ? new IngestConfigException(field, reason)
        : new IngestConfigException(field, reason, at.line(), at.column());
  }

  /** A failure of entry {@code key} of the mapping or list {@code name}, called {@code field}. */
  private IngestConfigException failEntry(String name, String key, String field, String reason) {
    ConfigLocations.At at =
        locations.of(pointer(name) + "/" + key.replace("~", "~0").replace("/", "~1"));
    if (at == null) {
      at = locations.of(pointer(name));
    }
    return at == null
        ? new IngestConfigException(field, reason)
        : new IngestConfigException(field, reason, at.line(), at.column());
  }

  /** Refuses keys outside {@code known}: a typo must not silently fall back to a default. */
  ConfigNode only(Set<String> known) {
    if (!node.isObject()) {
      throw fail(null, "must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw fail(
            name,
            "is not a known setting (known: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
    return this;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  ConfigNode child(String name) {
    return has(name) ? new ConfigNode(node.get(name), field(name), pointer(name), locations) : null;
  }

  String string(String name, String fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw fail(name, "must be a non-empty string");
    }
    return v.textValue();
  }

  String requiredString(String name) {
    String value = string(name, null);
    if (value == null) {
      throw fail(name, "is required");
    }
    return value;
  }

  long integer(String name, long fallback, long min, long max) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > max) {
      throw fail(name, "must be an integer from " + min + " to " + max);
    }
    return v.longValue();
  }

  boolean bool(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw fail(name, "must be true or false");
    }
    return v.booleanValue();
  }

  /** Whether setting {@code name} is written as {@code true} or {@code false}. */
  boolean isBoolean(String name) {
    return has(name) && node.get(name).isBoolean();
  }

  /** A number of at least zero, exactly as written (money: prices, costs, budgets). */
  java.math.BigDecimal decimal(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) {
      throw fail(name, "must be a number >= 0");
    }
    return v.decimalValue();
  }

  /**
   * A positive duration: a number of seconds (fractions allowed: {@code 10}, {@code 1.5}) or a
   * duration with units {@code ms}, {@code s}, {@code m}, {@code h} ({@code 500ms}, {@code 10s},
   * {@code 1m}, {@code 1m30s}).
   */
  Duration seconds(String name, Duration fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    Duration d = null;
    if (v.isNumber()) {
      d = Duration.ofMillis(Math.round(v.doubleValue() * 1000));
    } else if (v.isTextual()) {
      d = parseDuration(v.textValue().trim());
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw fail(
          name,
          "must be a duration > 0: seconds (10, 1.5) or with a unit (500ms, 10s, 1m, 1h30m), not "
              + (v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString()));
    }
    return d;
  }

  /** {@code 1h30m}, {@code 10s}, {@code 500ms}, {@code 1.5s}; null when not such a text. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    int end = 0;
    double millis = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
      end = m.end();
    }
    return end == 0 || end != text.length() ? null : Duration.ofMillis(Math.round(millis));
  }

  URI httpUrl(String name) {
    String text = requiredString(name);
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw fail(name, "(" + text + ") must be an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw fail(name, "(" + text + ") is not a URL: " + e.getReason());
    }
  }

  Map<String, String> stringMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!has(name)) {
      return out;
    }
    JsonNode v = node.get(name);
    if (!v.isObject()) {
      throw fail(name, "must be a mapping of layer to id");
    }
    v.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                throw failEntry(
                    name, e.getKey(), field(name) + "." + e.getKey(), "must be a non-empty string");
              }
              out.put(e.getKey(), e.getValue().asText());
            });
    return out;
  }

  List<String> stringList(String name) {
    List<String> out = new ArrayList<>();
    if (!has(name)) {
      return out;
    }
    JsonNode v = node.get(name);
    if (!v.isArray()) {
      throw fail(name, "must be a list of strings");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw failEntry(name, Integer.toString(i), field(name) + "[" + i + "]", "must be a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  List<ConfigNode> list(String name) {
    List<ConfigNode> out = new ArrayList<>();
    if (!has(name)) {
      return out;
    }
    JsonNode v = node.get(name);
    if (!v.isArray()) {
      throw fail(name, "must be a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(
          new ConfigNode(
              v.get(i), field(name) + "[" + i + "]", pointer(name) + "/" + i, locations));
    }
    return out;
  }
}
