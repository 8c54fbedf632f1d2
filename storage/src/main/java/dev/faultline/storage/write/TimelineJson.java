package dev.faultline.storage.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An incident timeline as stored in jsonb: the contract's wire shape of each entry. */
public final class TimelineJson {

  private TimelineJson() {}

  /** The timeline as a JSON array. */
  public static ArrayNode toJson(List<Incident.TimelineEntry> timeline) {
    ArrayNode a = Json.mapper().createArrayNode();
    for (Incident.TimelineEntry e : timeline) {
      ObjectNode o = a.addObject();
      o.put("ts", e.ts().toString());
      o.put("type", e.type());
      if (e.model() != null) {
        o.put("model", e.model());
      }
      if (e.detail() != null) {
        o.put("detail", e.detail());
      }
    }
    return a;
  }

  /** The timeline read back from its JSON text. */
  public static List<Incident.TimelineEntry> fromJson(String json) {
    try {
      JsonNode a = Json.mapper().readTree(json);
      List<Incident.TimelineEntry> out = new ArrayList<>();
      for (JsonNode e : a) {
        out.add(
            new Incident.TimelineEntry(
                Instant.parse(e.get("ts").asText()),
                e.get("type").asText(),
                e.hasNonNull("model") ? e.get("model").asText() : null,
                e.hasNonNull("detail") ? e.get("detail").asText() : null));
      }
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored timeline does not parse: " + json, e);
    }
  }
}
