package dev.faultline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JSON codec of {@link OutageLabel} ({@code outage-label.v1}), one object per line. */
public final class LabelCodec {

  private LabelCodec() {}

  /** Encodes a label as one line of compact JSON. */
  public static String encode(OutageLabel label) {
    ObjectNode o = TelemetryCodec.MAPPER.createObjectNode();
    o.put("schema", OutageLabel.SCHEMA);
    o.put("id", label.id());
    o.put("scope", label.scope().wireName());
    TelemetryCodec.putStrings(o, "models", label.models());
    if (label.suspected() == null) {
      o.putNull("suspected");
    } else {
      ObjectNode s = o.putObject("suspected");
      s.put("layer", label.suspected().layer());
      s.put("id", label.suspected().id());
    }
    o.put("onset", label.onset().toString());
    if (label.end() == null) {
      o.putNull("end");
    } else {
      o.put("end", label.end().toString());
    }
    if (label.note() != null) {
      o.put("note", label.note());
    }
    return o.toString();
  }

  /** Decodes one JSON label, failing with a {@link ContractViolation} naming the field. */
  public static OutageLabel decode(String json) {
    ObjectNode tree = TelemetryCodec.readObject(json);
    JsonFields f = new JsonFields(tree, "outage_label");
    String schema = f.string("schema", true);
    if (!OutageLabel.SCHEMA.equals(schema)) {
      throw f.violation("schema", "(\"" + schema + "\") must be \"" + OutageLabel.SCHEMA + "\"");
    }
    String scopeText = f.string("scope", true);
    Incident.Scope scope;
    try {
      scope = Incident.Scope.fromWire(scopeText);
    } catch (IllegalArgumentException e) {
      throw f.violation("scope", "(\"" + scopeText + "\") is not a known value");
    }
    List<String> models = f.stringList("models");
    if (models.isEmpty()) {
      throw f.violation("models", "must name at least one model");
    }
    OutageLabel.Component suspected = null;
    JsonNode s = tree.get("suspected");
    if (s != null && !s.isNull()) {
      JsonFields sf = new JsonFields(s, "outage_label.suspected");
      suspected = new OutageLabel.Component(sf.string("layer", true), sf.string("id", true));
    }
    OutageLabel label =
        new OutageLabel(
            f.string("id", true),
            scope,
            models,
            suspected,
            f.timestamp("onset", true),
            f.timestamp("end", false),
            f.string("note", false));
    if (label.end() != null && label.end().isBefore(label.onset())) {
      throw f.violation("end", "must not be before onset");
    }
    return label;
  }

  /** Reads a file of labels, one per line (blank lines and lines starting with # skipped). */
  public static List<OutageLabel> read(Path file) throws IOException {
    List<OutageLabel> labels = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          labels.add(decode(line));
        } catch (ContractViolation e) {
          throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
        }
      }
    }
    return labels;
  }

  /** Writes labels, one per line. */
  public static void write(Path file, List<OutageLabel> labels) throws IOException {
    List<String> lines = labels.stream().map(LabelCodec::encode).toList();
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
