package dev.faultline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The JSON codec of {@code incident.v1}. */
public final class IncidentCodec {

  private IncidentCodec() {}

  /** Encodes an incident record as one line of compact JSON. */
  public static String encode(Incident incident) {
    ObjectNode o = TelemetryCodec.MAPPER.createObjectNode();
    o.put("schema", Incident.SCHEMA);
    o.put("id", incident.id());
    o.put("event", incident.event().wireName());
    o.put("ts", incident.ts().toString());
    o.put("scope", incident.scope().wireName());
    o.put("status", incident.status().wireName());
    o.put("opened_at", incident.openedAt().toString());
    if (incident.resolvedAt() == null) {
      o.putNull("resolved_at");
    } else {
      o.put("resolved_at", incident.resolvedAt().toString());
    }
    TelemetryCodec.putStrings(o, "models", incident.models());
    if (incident.suspected() == null) {
      o.putNull("suspected");
    } else {
      ObjectNode s = o.putObject("suspected");
      s.put("layer", incident.suspected().layer());
      s.put("id", incident.suspected().id());
      s.put("confidence", incident.suspected().confidence());
    }
    o.put("severity", incident.severity().wireName());
    o.put("failed_requests", incident.failedRequests());
    ArrayNode timeline = o.putArray("timeline");
    for (Incident.TimelineEntry e : incident.timeline()) {
      ObjectNode entry = timeline.addObject();
      entry.put("ts", e.ts().toString());
      entry.put("type", e.type());
      if (e.model() != null) {
        entry.put("model", e.model());
      }
      if (e.detail() != null) {
        entry.put("detail", e.detail());
      }
    }
    return o.toString();
  }

  /** Encodes an incident record as UTF-8 JSON. */
  public static byte[] encodeBytes(Incident incident) {
    return encode(incident).getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes one UTF-8 JSON incident record. */
  public static Incident decode(byte[] json) {
    return decode(new String(json, StandardCharsets.UTF_8));
  }

  /** Decodes one JSON incident record, failing with a {@link ContractViolation}. */
  public static Incident decode(String json) {
    ObjectNode tree = TelemetryCodec.readObject(json);
    JsonFields f = new JsonFields(tree, "incident");
    String schema = f.string("schema", true);
    if (!Incident.SCHEMA.equals(schema)) {
      throw f.violation("schema", "(\"" + schema + "\") must be \"incident.v1\"");
    }
    JsonNode suspectedNode = tree.get("suspected");
    Incident.Suspected suspected = null;
    if (suspectedNode != null && !suspectedNode.isNull()) {
      JsonFields s = new JsonFields(suspectedNode, "incident.suspected");
      suspected =
          new Incident.Suspected(
              s.string("layer", true), s.string("id", true), s.number("confidence", true, 0, 1));
    }
    List<Incident.TimelineEntry> timeline = new ArrayList<>();
    JsonNode entries = tree.get("timeline");
    if (entries != null && entries.isArray()) {
      for (int i = 0; i < entries.size(); i++) {
        JsonFields e = new JsonFields(entries.get(i), "incident.timeline[" + i + "]");
        timeline.add(
            new Incident.TimelineEntry(
                e.timestamp("ts", true),
                e.string("type", true),
                e.string("model", false),
                e.string("detail", false)));
      }
    }
    Instant resolvedAt = f.timestamp("resolved_at", false);
    return new Incident(
        f.string("id", true),
        enumValue(f, "event", Incident.Event::fromWire),
        f.timestamp("ts", true),
        enumValue(f, "scope", Incident.Scope::fromWire),
        enumValue(f, "status", Incident.Status::fromWire),
        f.timestamp("opened_at", true),
        resolvedAt,
        f.stringList("models"),
        suspected,
        enumValue(f, "severity", Incident.Severity::fromWire),
        f.integer("failed_requests", true, 0),
        timeline);
  }

  private static <E extends Enum<E>> E enumValue(
      JsonFields f, String name, Function<String, E> fromWire) {
    String text = f.string(name, true);
    try {
      return fromWire.apply(text);
    } catch (IllegalArgumentException e) {
      throw f.violation(name, "(\"" + text + "\") is not a known value");
    }
  }
}
