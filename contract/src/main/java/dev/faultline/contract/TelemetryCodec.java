package dev.faultline.contract;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The strict JSON codec of {@code telemetry.v1}. Decoding validates required fields, types and
 * ranges and fails with a {@link ContractViolation} naming the field; unknown fields are ignored.
 * Encoding writes the contract's field names and omits absent optional fields.
 */
public final class TelemetryCodec {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Reads telemetry under {@link TelemetryLimits}: nesting and number length are refused while
   * parsing, before a tree is built.
   */
  private static final ObjectMapper BOUNDED =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(TelemetryLimits.MAX_DEPTH)
                          .maxNumberLength(TelemetryLimits.MAX_NUMBER_CHARS)
                          .maxStringLength(TelemetryLimits.MAX_RECORD_BYTES)
                          .maxNameLength(TelemetryLimits.MAX_ID_CHARS * 4)
                          .build())
                  .build())
          .build();

  private TelemetryCodec() {}

  /**
   * Decodes one UTF-8 JSON object. Bytes that are not UTF-8 are read as replacement characters (and
   * then fail as JSON or keep them inside a string).
   */
  public static Telemetry decode(byte[] json) {
    if (json != null && json.length > TelemetryLimits.MAX_RECORD_BYTES) {
      throw tooLarge(json.length);
    }
    return decode(json == null ? null : new String(json, StandardCharsets.UTF_8));
  }

  /**
   * Decodes one JSON object. Every way a record can be wrong is a {@link ContractViolation} naming
   * the field where one is to blame: missing or mistyped fields, numbers out of range ({@code
   * "gpu": 3000000000}), {@code NaN} and infinities, strings, maps and lists beyond {@link
   * TelemetryLimits}, nesting deeper than {@link TelemetryLimits#MAX_DEPTH}. Nothing else is
   * thrown.
   */
  public static Telemetry decode(String json) {
    if (json != null && json.length() > TelemetryLimits.MAX_RECORD_BYTES) {
      throw tooLarge(json.getBytes(StandardCharsets.UTF_8).length);
    }
    return decodeTree(readObject(json, BOUNDED));
  }

  private static ContractViolation tooLarge(long bytes) {
    return new ContractViolation(
        null,
        "record is " + bytes + " bytes (at most " + TelemetryLimits.MAX_RECORD_BYTES + " allowed)");
  }

  /** Decodes line {@code lineNumber} (1-based) of an NDJSON stream; errors name the line. */
  public static Telemetry decodeLine(String line, long lineNumber) {
    try {
      return decode(line);
    } catch (ContractViolation e) {
      throw e.atLine(lineNumber);
    }
  }

  static ObjectNode readObject(String json) {
    return readObject(json, MAPPER);
  }

  private static ObjectNode readObject(String json, ObjectMapper mapper) {
    if (json == null || json.isBlank()) {
      throw new ContractViolation(null, "empty record");
    }
    JsonNode tree;
    JsonParser parser = null;
    try {
      parser = mapper.createParser(json);
      tree = mapper.readTree(parser);
    } catch (JsonProcessingException e) {
      throw notJson(e, parser);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    } finally {
      closeQuietly(parser);
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new ContractViolation(null, "record is not a JSON object");
    }
    return object;
  }

  private static ContractViolation notJson(JsonProcessingException e, JsonParser parser) {
    String reason = e.getOriginalMessage();
    int cut = reason.indexOf(" (start marker");
    reason = cut > 0 ? reason.substring(0, cut) : reason;
    cut = reason.indexOf(" (by `");
    reason = cut > 0 ? reason.substring(0, cut) : reason;
    reason = reason.length() > 200 ? reason.substring(0, 197) + "..." : reason;
    JsonLocation at = e.getLocation() != null ? e.getLocation() : location(parser);
    long column = at == null ? -1 : at.getColumnNr();
    // At the end of the input the last field read is not to blame: the record is cut short.
    String field = reason.startsWith("Unexpected end-of-input") ? null : fieldAt(parser);
    return new ContractViolation(field, "not valid JSON at column " + column + ": " + reason);
  }

  private static JsonLocation location(JsonParser parser) {
    return parser == null ? null : parser.currentLocation();
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // Nothing was opened but a string.
      }
    }
  }

  /**
   * The path of the field the parser was in when it failed ({@code latency_ms.p50}, {@code
   * models[2]}), or null at the top level: so a {@code NaN} or a 70-digit number is blamed on its
   * field like any other bad value.
   */
  private static String fieldAt(JsonParser parser) {
    if (parser == null) {
      return null;
    }
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        String name = c.getCurrentName();
        parts.addFirst(name.length() > 40 ? name.substring(0, 37) + "..." : name);
      } else if (c.inArray() && c.getCurrentIndex() >= 0) {
        parts.addFirst("[" + c.getCurrentIndex() + "]");
      }
    }
    if (parts.isEmpty() || parts.size() > TelemetryLimits.MAX_DEPTH) {
      return null;
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static Telemetry decodeTree(ObjectNode tree) {
    JsonFields top = new JsonFields(tree, null, true);
    String schema = top.string("schema", true);
    if (!Telemetry.SCHEMA.equals(schema)) {
      throw new ContractViolation("schema", "(\"" + schema + "\") must be \"telemetry.v1\"");
    }
    String kindName = top.string("kind", true);
    Kind kind =
        Kind.fromWireName(kindName)
            .orElseThrow(
                () ->
                    new ContractViolation(
                        "kind",
                        "(\""
                            + kindName
                            + "\") is not one of model_window, gpu, probe, topology, alert"));
    JsonFields f = new JsonFields(tree, kind.wireName(), true);
    Instant ts = f.timestamp("ts", true);
    String source = f.string("source", true);
    return switch (kind) {
      case MODEL_WINDOW -> modelWindow(f, ts, source);
      case GPU -> gpu(f, ts, source);
      case PROBE -> probe(f, ts, source);
      case TOPOLOGY ->
          new Topology(ts, source, f.string("model", true), f.stringMap("infra", true));
      case ALERT -> alert(f, ts, source);
    };
  }

  private static ModelWindow modelWindow(JsonFields f, Instant ts, String source) {
    String model = f.string("model", true);
    double windowS = f.number("window_s", true, 0, Double.MAX_VALUE);
    if (windowS <= 0) {
      throw f.violation("window_s", "(" + JsonFields.format(windowS) + ") must be > 0");
    }
    long requests = f.integer("requests", true, 0);
    long errors = f.integer("errors", true, 0);
    if (errors > requests) {
      throw f.violation("errors", "(" + errors + ") exceeds requests (" + requests + ")");
    }
    Map<String, Long> byCode = f.countMap("errors_by_code");
    return new ModelWindow(
        ts,
        source,
        model,
        windowS,
        requests,
        errors,
        byCode,
        f.quantiles("latency_ms"),
        f.quantiles("ttft_ms"),
        f.integer("tokens_out", false, 0),
        f.stringMap("infra", false),
        f.string("deployment", false));
  }

  private static GpuSample gpu(JsonFields f, Instant ts, String source) {
    String node = f.string("node", true);
    int gpu = f.integer("gpu", true, 0, Integer.MAX_VALUE).intValue();
    double used = f.number("mem_used_mib", true, 0, Double.MAX_VALUE);
    double total = f.number("mem_total_mib", true, 0, Double.MAX_VALUE);
    if (total <= 0) {
      throw f.violation("mem_total_mib", "(" + JsonFields.format(total) + ") must be > 0");
    }
    if (used > total) {
      throw f.violation(
          "mem_used_mib",
          "("
              + JsonFields.format(used)
              + ") exceeds mem_total_mib ("
              + JsonFields.format(total)
              + ")");
    }
    Long xid = f.integer("xid", false, 0, Integer.MAX_VALUE);
    return new GpuSample(
        ts,
        source,
        node,
        gpu,
        used,
        total,
        f.number("util_pct", false, 0, 100),
        xid == null ? null : Math.toIntExact(xid),
        f.stringList("models"),
        f.stringMap("infra", false));
  }

  private static Probe probe(JsonFields f, Instant ts, String source) {
    String target = f.string("target", true);
    String model = f.string("model", true);
    boolean ok = f.bool("ok", true);
    Long status = f.integer("status", false, 0);
    if (status != null && status > 599) {
      throw f.violation("status", "(" + status + ") is not an HTTP status");
    }
    return new Probe(
        ts,
        source,
        target,
        model,
        ok,
        status == null ? null : status.intValue(),
        f.number("latency_ms", false, 0, Double.MAX_VALUE),
        f.text("error", false),
        f.stringMap("infra", false));
  }

  private static Alert alert(JsonFields f, Instant ts, String source) {
    String name = f.string("name", true);
    String status = f.string("status", true);
    if (!Alert.FIRING.equals(status) && !Alert.RESOLVED.equals(status)) {
      throw f.violation("status", "(\"" + status + "\") must be \"firing\" or \"resolved\"");
    }
    return new Alert(
        ts,
        source,
        name,
        status,
        f.stringMap("labels", false),
        f.timestamp("starts_at", false),
        f.text("summary", false));
  }

  /** Encodes a record as one line of compact JSON (no trailing newline). */
  public static String encode(Telemetry record) {
    return new String(encodeBytes(record), StandardCharsets.UTF_8);
  }

  /**
   * Encodes a record as UTF-8 JSON, streamed straight to bytes (no tree, no intermediate string:
   * collectors call this for every record they publish). Map fields are written sorted by key, so
   * the same record always encodes to the same bytes.
   */
  public static byte[] encodeBytes(Telemetry record) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("schema", Telemetry.SCHEMA);
      g.writeStringField("kind", record.kind().wireName());
      g.writeStringField("ts", record.ts().toString());
      g.writeStringField("source", record.source());
      if (record instanceof ModelWindow w) {
        writeModelWindow(g, w);
      } else if (record instanceof GpuSample gpu) {
        writeGpu(g, gpu);
      } else if (record instanceof Probe p) {
        writeProbe(g, p);
      } else if (record instanceof Topology t) {
        g.writeStringField("model", t.model());
        g.writeFieldName("infra");
        writeSorted(g, t.infra());
      } else if (record instanceof Alert a) {
        writeAlert(g, a);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeModelWindow(JsonGenerator g, ModelWindow w) throws IOException {
    g.writeStringField("model", w.model());
    g.writeNumberField("window_s", w.windowS());
    g.writeNumberField("requests", w.requests());
    g.writeNumberField("errors", w.errors());
    if (!w.errorsByCode().isEmpty()) {
      g.writeFieldName("errors_by_code");
      g.writeStartObject();
      for (Map.Entry<String, Long> e : new TreeMap<>(w.errorsByCode()).entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    writeQuantiles(g, "latency_ms", w.latencyMs());
    writeQuantiles(g, "ttft_ms", w.ttftMs());
    if (w.tokensOut() != null) {
      g.writeNumberField("tokens_out", w.tokensOut());
    }
    writeMap(g, "infra", w.infra());
    if (w.deployment() != null) {
      g.writeStringField("deployment", w.deployment());
    }
  }

  private static void writeGpu(JsonGenerator g, GpuSample gpu) throws IOException {
    g.writeStringField("node", gpu.node());
    g.writeNumberField("gpu", gpu.gpu());
    g.writeNumberField("mem_used_mib", gpu.memUsedMib());
    g.writeNumberField("mem_total_mib", gpu.memTotalMib());
    if (gpu.utilPct() != null) {
      g.writeNumberField("util_pct", gpu.utilPct());
    }
    if (gpu.xid() != null) {
      g.writeNumberField("xid", gpu.xid());
    }
    if (!gpu.models().isEmpty()) {
      g.writeArrayFieldStart("models");
      for (String m : gpu.models()) {
        g.writeString(m);
      }
      g.writeEndArray();
    }
    writeMap(g, "infra", gpu.infra());
  }

  private static void writeProbe(JsonGenerator g, Probe p) throws IOException {
    g.writeStringField("target", p.target());
    g.writeStringField("model", p.model());
    g.writeBooleanField("ok", p.ok());
    if (p.status() != null) {
      g.writeNumberField("status", p.status());
    }
    if (p.latencyMs() != null) {
      g.writeNumberField("latency_ms", p.latencyMs());
    }
    if (p.error() != null) {
      g.writeStringField("error", p.error());
    }
    writeMap(g, "infra", p.infra());
  }

  private static void writeAlert(JsonGenerator g, Alert a) throws IOException {
    g.writeStringField("name", a.name());
    g.writeStringField("status", a.status());
    writeMap(g, "labels", a.labels());
    if (a.startsAt() != null) {
      g.writeStringField("starts_at", a.startsAt().toString());
    }
    if (a.summary() != null) {
      g.writeStringField("summary", a.summary());
    }
  }

  private static void writeQuantiles(JsonGenerator g, String name, Quantiles q) throws IOException {
    if (q == null) {
      return;
    }
    g.writeObjectFieldStart(name);
    if (q.p50() != null) {
      g.writeNumberField("p50", q.p50());
    }
    if (q.p95() != null) {
      g.writeNumberField("p95", q.p95());
    }
    if (q.p99() != null) {
      g.writeNumberField("p99", q.p99());
    }
    g.writeEndObject();
  }

  /** A non-empty map as an object sorted by key; an empty one is left out. */
  private static void writeMap(JsonGenerator g, String name, Map<String, String> map)
      throws IOException {
    if (map.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    writeSorted(g, map);
  }

  private static void writeSorted(JsonGenerator g, Map<String, String> map) throws IOException {
    String[] keys = map.keySet().toArray(new String[0]);
    java.util.Arrays.sort(keys);
    g.writeStartObject();
    for (String key : keys) {
      g.writeStringField(key, map.get(key));
    }
    g.writeEndObject();
  }

  static void putStrings(ObjectNode o, String name, List<String> values) {
    ArrayNode array = o.putArray(name);
    values.forEach(array::add);
  }
}
