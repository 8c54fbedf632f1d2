package dev.faultline.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;

/** JSON for jsonb columns. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A map or list as JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable as JSON: " + value, e);
    }
  }

  /** A collection of strings as a JSON array. */
  public static String array(Collection<String> values) {
    return write(values);
  }

  /** A JSON object of strings, empty for null. */
  public static Map<String, String> stringMap(String json) {
    return read(json, new TypeReference<Map<String, String>>() {});
  }

  /** A JSON object of integers, empty for null. */
  public static Map<String, Long> longMap(String json) {
    return read(json, new TypeReference<Map<String, Long>>() {});
  }

  /** Parses JSON into the given type. */
  public static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json == null ? "{}" : json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse: " + json, e);
    }
  }

  /** The mapper, for trees. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
