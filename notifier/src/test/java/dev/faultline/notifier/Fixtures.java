package dev.faultline.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test fixtures from src/test/resources. */
public final class Fixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** The text of a resource. */
  public static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON fixture. */
  public static JsonNode json(String path) {
    try {
      return JSON.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Incident records, one per line. */
  public static List<Incident> incidents(String path) {
    return text(path).lines().filter(l -> !l.isBlank()).map(IncidentCodec::decode).toList();
  }

  /** The seed outage as the correlation engine reports it: opened, two updates, resolved. */
  public static List<Incident> seedOutage() {
    return incidents("incidents/seed-outage.ndjson");
  }
}
