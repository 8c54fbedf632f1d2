package dev.faultline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract's vocabulary types against the contract document ({@code
 * shared/contracts/telemetry-v1.md}, read beside the repository, not copied) and the incident
 * fixtures: every documented value has its type, and incidents round-trip byte for byte, known and
 * unknown types and layers alike.
 */
class VocabularyTest {

  private static final String CONTRACT = "shared/contracts/telemetry-v1.md";
  private static final String INCIDENTS = "/valid/incidents.ndjson";
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void theClosedIncidentFieldsAreExactlyTheDocumentedValues() throws IOException {
    Map<String, String> fields = incidentFields(contractText());
    assertEquals(
        codes(fields.get("event")),
        Arrays.stream(Incident.Event.values()).map(Incident.Event::wireName).toList());
    assertEquals(
        codes(fields.get("scope")),
        Arrays.stream(Incident.Scope.values()).map(Incident.Scope::wireName).toList());
    assertEquals(
        codes(fields.get("status")),
        Arrays.stream(Incident.Status.values()).map(Incident.Status::wireName).toList());
    assertEquals(
        codes(fields.get("severity")),
        Arrays.stream(Incident.Severity.values()).map(Incident.Severity::wireName).toList());
  }

  @Test
  void everyDocumentedTimelineTypeIsKnown() throws IOException {
    String timeline = incidentFields(contractText()).get("timeline");
    List<String> documented = codes(after(timeline, "types include"));
    assertFalse(documented.isEmpty(), timeline);
    for (String type : documented) {
      assertTrue(Incident.TimelineTypes.isKnown(type), type);
    }
    assertEquals(documented, Incident.TimelineTypes.KNOWN.subList(0, documented.size()));
  }

  @Test
  void everyDocumentedLayerIsKnown() throws IOException {
    String text = contractText().replaceAll("\\s+", " ");
    String sentence = after(text, "Known layer names:");
    List<String> documented = codes(sentence.substring(0, sentence.indexOf('.')));
    assertTrue(documented.size() > 5, sentence);
    for (String layer : documented) {
      assertTrue(Layers.isKnown(layer), layer);
    }
    assertEquals(documented, Layers.KNOWN.subList(0, documented.size()));
  }

  @Test
  void wireNamesDecodeToTheirValuesAndNothingElseDoes() {
    for (Incident.Scope s : Incident.Scope.values()) {
      assertEquals(s, Incident.Scope.fromWire(s.wireName()));
    }
    for (Incident.Severity s : Incident.Severity.values()) {
      assertEquals(s, Incident.Severity.fromWire(s.wireName()));
    }
    for (Incident.Status s : Incident.Status.values()) {
      assertEquals(s, Incident.Status.fromWire(s.wireName()));
    }
    for (Incident.Event e : Incident.Event.values()) {
      assertEquals(e, Incident.Event.fromWire(e.wireName()));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Incident.Scope.fromWire("MODEL"));
    assertEquals("incident.scope (\"MODEL\") is not a known value", e.getMessage());
  }

  @Test
  void incidentFixturesRoundTripByteForByte() throws IOException {
    for (String line : fixtureLines()) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      assertEquals(
          line,
          new String(
              IncidentCodec.encodeBytes(IncidentCodec.decode(bytes)), StandardCharsets.UTF_8),
          line);
    }
  }

  @Test
  void theFixturesCoverEveryKnownTimelineTypeAndUnknownOnesAsGiven() throws IOException {
    List<Incident> incidents = fixtureLines().stream().map(IncidentCodec::decode).toList();
    Set<String> types =
        incidents.stream()
            .flatMap(i -> i.timeline().stream())
            .map(Incident.TimelineEntry::type)
            .collect(Collectors.toSet());
    assertTrue(types.containsAll(Incident.TimelineTypes.KNOWN), () -> "fixtures miss types");
    assertTrue(types.stream().anyMatch(t -> !Incident.TimelineTypes.isKnown(t)), types::toString);
    assertTrue(
        incidents.stream()
            .anyMatch(i -> i.suspected() != null && !Layers.isKnown(i.suspected().layer())),
        "fixtures hold an unknown layer");
  }

  @Test
  void anEntryIsOfItsType() {
    Incident.TimelineEntry e =
        new Incident.TimelineEntry(null, Incident.TimelineTypes.PRECURSOR, null, null);
    assertTrue(e.is(Incident.TimelineTypes.PRECURSOR));
    assertFalse(e.is(Incident.TimelineTypes.MODEL_DEGRADED));
  }

  /** The meaning column of each row of the incident table, by field name. */
  private static Map<String, String> incidentFields(String contract) {
    String section = after(contract, "## Incidents");
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|.*\\| (.*) \\|$").matcher(section);
    while (row.find()) {
      fields.put(row.group(1), row.group(2));
    }
    return fields;
  }

  private static List<String> codes(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String after(String text, String marker) {
    int at = text.indexOf(marker);
    assertTrue(at >= 0, () -> "the contract no longer says \"" + marker + "\"");
    return text.substring(at + marker.length());
  }

  /**
   * The contract document, found beside the repository (CI and every checkout have {@code
   * ../shared}); the test fails when it is not there, rather than pass without it.
   */
  private static String contractText() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path doc = dir.resolve(CONTRACT);
      if (Files.isRegularFile(doc)) {
        return Files.readString(doc);
      }
    }
    throw new AssertionError(CONTRACT + " not found above " + Path.of("").toAbsolutePath());
  }

  private static List<String> fixtureLines() throws IOException {
    try (InputStream in = VocabularyTest.class.getResourceAsStream(INCIDENTS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    }
  }
}
