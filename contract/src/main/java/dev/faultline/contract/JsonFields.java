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

  private final JsonNode node;
  private final String prefix;

  JsonFields(JsonNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
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

  String string(String name, boolean required) {
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
    return value.textValue();
  }

  Long integer(String name, boolean required, long min) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !(value.isIntegralNumber() || isWhole(value.doubleValue()))) {
      throw violation(name, "must be an integer, got " + shown(value));
    }
    if (value.isBigInteger() && !value.canConvertToLong()) {
      throw violation(name, "(" + value + ") is out of range");
    }
    long result = value.longValue();
    if (result < min) {
      throw violation(name, "(" + result + ") must be >= " + min);
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
      return OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
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
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual()) {
        result.put(e.getKey(), v.textValue());
      } else if (v.isNumber() || v.isBoolean()) {
        result.put(e.getKey(), v.asText());
      } else if (!v.isNull()) {
        throw violation(name + "." + e.getKey(), "must be a string, got " + shown(v));
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
    Map<String, Long> result = new LinkedHashMap<>();
    JsonFields inner = new JsonFields(value, qualified(name));
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String code = it.next();
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
    JsonFields inner = new JsonFields(value, qualified(name));
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
    List<String> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw violation(name + "[" + i + "]", "must be a string, got " + shown(item));
      }
      result.add(item.textValue());
    }
    return result;
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
