package dev.faultline.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One NDJSON line per record, via {@link TelemetryCodec#encode}, with the members of map-valued
 * fields ({@code infra}, {@code errors_by_code}, {@code labels}) in key order: the contract's
 * records hold immutable maps whose iteration order changes from one JVM to the next, and a
 * recording must be byte-for-byte the same on every run.
 */
final class NdjsonLines {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> MAP_FIELDS = List.of("infra", "errors_by_code", "labels");

  private NdjsonLines() {}

  static String line(Telemetry record) {
    String json = TelemetryCodec.encode(record);
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(json);
      boolean changed = false;
      for (String field : MAP_FIELDS) {
        JsonNode value = node.get(field);
        if (value instanceof ObjectNode map && map.size() > 1) {
          node.set(field, sorted(map));
          changed = true;
        }
      }
      return changed ? MAPPER.writeValueAsString(node) : json;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("codec produced invalid JSON: " + json, e);
    }
  }

  private static ObjectNode sorted(ObjectNode map) {
    List<String> keys = new ArrayList<>();
    map.fieldNames().forEachRemaining(keys::add);
    Collections.sort(keys);
    ObjectNode out = MAPPER.createObjectNode();
    keys.forEach(k -> out.set(k, map.get(k)));
    return out;
  }
}
