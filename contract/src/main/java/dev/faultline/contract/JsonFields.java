package dev.faultline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed fields from one JSON object, failing with a {@link ContractViolation} that names the
 * field (qualified by {@code prefix}, e.g. {@code model_window.errors}) and the reason.
 */
final class JsonFields {

  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private final JsonNode node;
  private final String prefix;
  private final boolean bounded;

  /** Fields without the telemetry bounds (incidents, labels: written by Faultline itself). */
  JsonFields(JsonNode node, String prefix) {
    this(node, prefix, false);
  }

  /**
   * @param bounded whether to hold strings, maps and lists to {@link TelemetryLimits}
   */
  JsonFields(JsonNode node, String prefix, boolean bounded) {
    this.node = node;
    this.prefix = prefix;
    this.bounded = bounded;
  }

  private JsonFields inner(JsonNode value, String name) {
    return new JsonFields(value, qualified(name), bounded);
  }

  String qualified(String name) {
    return prefix == null ? name : prefix + "." + name;
  }

  ContractViolation violation(String name, String reason) {
    return new ContractViolation(qualified(name), reason);
  }

  private JsonNode present(String name, boolean required) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw violation(name, "is required");
      }
      return null;
    }
    return value;
  }

  private static String shown(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 37) + "..." : text;
  }

  /** An identifier (at most {@link TelemetryLimits#MAX_ID_CHARS} when bounded). */
  String string(String name, boolean required) {
    return string(name, required, TelemetryLimits.MAX_ID_CHARS);
  }

  /** Free text (at most {@link TelemetryLimits#MAX_TEXT_CHARS} when bounded). */
  String text(String name, boolean required) {
    return string(name, required, TelemetryLimits.MAX_TEXT_CHARS);
  }

  private String string(String name, boolean required, int maxChars) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw violation(name, "must be a string, got " + shown(value));
    }
    if (required && value.textValue().isBlank()) {
      throw violation(name, "must not be empty");
    }
    checkLength(name, value.textValue(), maxChars);
    return value.textValue();
  }

  private void checkLength(String name, String text, int maxChars) {
    if (bounded && text.length() > maxChars) {
      throw violation(
          name, "is " + text.length() + " characters long (at most " + maxChars + " allowed)");
    }
  }

  private void checkEntries(String name, int size) {
    if (bounded && size > TelemetryLimits.MAX_ENTRIES) {
      throw violation(
          name, "has " + size + " entries (at most " + TelemetryLimits.MAX_ENTRIES + " allowed)");
    }
  }

  Long integer(String name, boolean required, long min) {
    return integer(name, required, min, Long.MAX_VALUE);
  }

  /** An integer in {@code [min, max]}; one beyond a long, or beyond {@code max}, is refused. */
  Long integer(String name, boolean required, long min, long max) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !(value.isIntegralNumber() || isWhole(value.doubleValue()))) {
      throw violation(name, "must be an integer, got " + shown(value));
    }
    if (!value.canConvertToLong()) {
      throw violation(name, "(" + shown(value) + ") is out of range (at most " + max + ")");
    }
    long result = value.longValue();
    if (result < min) {
      throw violation(name, "(" + result + ") must be >= " + min);
    }
    if (result > max) {
      throw violation(name, "(" + result + ") is out of range (at most " + max + ")");
    }
    return result;
  }

  Double number(String name, boolean required, double min, double max) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      throw violation(name, "must be a number, got " + shown(value));
    }
    double result = value.doubleValue();
    if (Double.isNaN(result) || Double.isInfinite(result)) {
      throw violation(name, "must be a finite number");
    }
    if (result < min || result > max) {
      throw violation(name, "(" + format(result) + ") must be " + range(min, max));
    }
    return result;
  }

  Boolean bool(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw violation(name, "must be true or false, got " + shown(value));
    }
    return value.booleanValue();
  }

  Instant timestamp(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw violation(name, "must be an RFC 3339 timestamp string, got " + shown(value));
    }
    try {
      Instant instant =
          OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant();
      // RFC 3339 years have four digits; beyond them epoch milliseconds overflow downstream.
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        throw violation(name, "(" + shown(value) + ") is outside the years 0000 to 9999");
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw violation(
          name, "(" + shown(value) + ") is not an RFC 3339 timestamp like 2026-06-22T14:03:10Z");
    }
  }

  Map<String, String> stringMap(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value == null) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw violation(name, "must be an object of strings, got " + shown(value));
    }
    checkEntries(name, value.size());
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String entry = name + "." + shownKey(e.getKey());
      checkLength(entry + " (key)", e.getKey(), TelemetryLimits.MAX_ID_CHARS);
      if (v.isTextual()) {
        checkLength(entry, v.textValue(), TelemetryLimits.MAX_MAP_VALUE_CHARS);
        result.put(e.getKey(), v.textValue());
      } else if (v.isNumber() || v.isBoolean()) {
        result.put(e.getKey(), v.asText());
      } else if (!v.isNull()) {
        throw violation(entry, "must be a string, got " + shown(v));
      }
    }
    return result;
  }

  Map<String, Long> countMap(String name) {
    JsonNode value = present(name, false);
    if (value == null) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw violation(name, "must be an object of counts, got " + shown(value));
    }
    checkEntries(name, value.size());
    Map<String, Long> result = new LinkedHashMap<>();
    JsonFields inner = inner(value, name);
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String code = it.next();
      checkLength(name + "." + shownKey(code) + " (key)", code, TelemetryLimits.MAX_ID_CHARS);
      result.put(code, inner.integer(code, true, 0));
    }
    return result;
  }

  Quantiles quantiles(String name) {
    JsonNode value = present(name, false);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw violation(name, "must be an object like {\"p50\": 800, \"p95\": 2100}");
    }
    JsonFields inner = inner(value, name);
    double max = Double.MAX_VALUE;
    return new Quantiles(
        inner.number("p50", false, 0, max),
        inner.number("p95", false, 0, max),
        inner.number("p99", false, 0, max));
  }

  List<String> stringList(String name) {
    JsonNode value = present(name, false);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw violation(name, "must be an array of strings, got " + shown(value));
    }
    checkEntries(name, value.size());
    List<String> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw violation(name + "[" + i + "]", "must be a string, got " + shown(item));
      }
      checkLength(name + "[" + i + "]", item.textValue(), TelemetryLimits.MAX_ID_CHARS);
      result.add(item.textValue());
    }
    return result;
  }

  /** A map key as it may appear in a message: cut, so a huge key cannot make a huge reason. */
  private static String shownKey(String key) {
    return key.length() > 40 ? key.substring(0, 37) + "..." : key;
  }

  private static boolean isWhole(double d) {
    return !Double.isInfinite(d) && d == Math.rint(d);
  }

  static String format(double d) {
    return isWhole(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String range(double min, double max) {
    return max == Double.MAX_VALUE
        ? ">= " + format(min)
        : "between " + format(min) + " and " + format(max);
  }
}
