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

/** A YAML mapping with its path, whose typed getters fail naming the field. */
final class ConfigNode {

  private final JsonNode node;
  private final String path;

  ConfigNode(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Refuses keys outside {@code known}: a typo must not silently fall back to a default. */
  ConfigNode only(Set<String> known) {
    if (!node.isObject()) {
      throw new IngestConfigException(path.isEmpty() ? null : path, "must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new IngestConfigException(
            field(name), "is not a known setting (known: " + String.join(", ", known) + ")");
      }
    }
    return this;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  ConfigNode child(String name) {
    return has(name) ? new ConfigNode(node.get(name), field(name)) : null;
  }

  String string(String name, String fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw new IngestConfigException(field(name), "must be a non-empty string");
    }
    return v.textValue();
  }

  String requiredString(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new IngestConfigException(field(name), "is required");
    }
    return value;
  }

  long integer(String name, long fallback, long min, long max) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > max) {
      throw new IngestConfigException(field(name), "must be an integer from " + min + " to " + max);
    }
    return v.longValue();
  }

  boolean bool(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw new IngestConfigException(field(name), "must be true or false");
    }
    return v.booleanValue();
  }

  /** A positive number of seconds (fractions allowed). */
  Duration seconds(String name, Duration fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isNumber() || v.doubleValue() <= 0) {
      throw new IngestConfigException(field(name), "must be a number of seconds > 0");
    }
    return Duration.ofMillis(Math.round(v.doubleValue() * 1000));
  }

  URI httpUrl(String name) {
    String text = requiredString(name);
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IngestConfigException(field(name), "(" + text + ") must be an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IngestConfigException(field(name), "(" + text + ") is not a URL: " + e.getReason());
    }
  }

  Map<String, String> stringMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!has(name)) {
      return out;
    }
    JsonNode v = node.get(name);
    if (!v.isObject()) {
      throw new IngestConfigException(field(name), "must be a mapping of layer to id");
    }
    v.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                throw new IngestConfigException(
                    field(name) + "." + e.getKey(), "must be a non-empty string");
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
      throw new IngestConfigException(field(name), "must be a list of strings");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new IngestConfigException(field(name) + "[" + i + "]", "must be a string");
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
      throw new IngestConfigException(field(name), "must be a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new ConfigNode(v.get(i), field(name) + "[" + i + "]"));
    }
    return out;
  }
}
