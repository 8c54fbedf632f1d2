package dev.faultline.ingest.statuspage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.publish.TimeGuard;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of a Statuspage v2 {@code summary.json} the poller uses. {@link #parse} is strict about
 * the envelope (a page without {@code page} or {@code components} is refused whole) and per
 * component: one component with a missing id or an unknown status, or whose {@code updated_at} (the
 * alert's {@code ts}) is further ahead of the receiving clock than the {@link TimeGuard} allows, is
 * listed in {@link #problems} while the valid ones are kept, so one bad entry does not blind the
 * poller to the rest.
 *
 * @param components the valid components, in document order
 * @param incidents the unresolved incidents (summary.json lists no resolved ones)
 * @param problems what was wrong with the entries left out, each naming its field
 */
public record StatuspageSummary(
    Page page,
    List<Component> components,
    List<Incident> incidents,
    List<StatuspageFormatException> problems) {

  /** A component's status when nothing is wrong. */
  public static final String OPERATIONAL = "operational";

  /** Every component status Statuspage documents. */
  public static final Set<String> STATUSES =
      Set.of(
          OPERATIONAL,
          "degraded_performance",
          "partial_outage",
          "major_outage",
          "under_maintenance");

  private static final ObjectMapper JSON = new ObjectMapper();

  public StatuspageSummary {
    components = List.copyOf(components);
    incidents = List.copyOf(incidents);
    problems = List.copyOf(problems);
  }

  /** The page itself. */
  public record Page(String id, String name, String url, Instant updatedAt) {}

  /**
   * One component. Group components ({@code group: true}) summarise their children.
   *
   * @param groupId the id of the group holding this component, or null
   */
  public record Component(
      String id, String name, String status, Instant updatedAt, boolean group, String groupId) {

    public boolean operational() {
      return OPERATIONAL.equals(status);
    }
  }

  /**
   * An unresolved incident and the ids of the components it affects.
   *
   * @param shortlink may be null
   */
  public record Incident(
      String id,
      String name,
      String status,
      String impact,
      String shortlink,
      Instant updatedAt,
      List<String> componentIds) {
    public Incident {
      componentIds = List.copyOf(componentIds);
    }
  }

  /**
   * Reads a summary document; throws naming the field when the envelope is unusable.
   *
   * @param timeGuard leaves out a (non-group) component stamped too far ahead of the receiving
   *     clock
   */
  public static StatuspageSummary parse(String body, TimeGuard timeGuard) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new StatuspageFormatException(
          null, "is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new StatuspageFormatException(null, "is not a JSON object");
    }
    Page page = page(object(root, "page", "page"));
    JsonNode components = root.get("components");
    if (components == null || !components.isArray()) {
      throw new StatuspageFormatException("components", "must be a list");
    }
    List<StatuspageFormatException> problems = new ArrayList<>();
    List<Component> valid = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      try {
        valid.add(component(components.get(i), "components[" + i + "]", timeGuard));
      } catch (StatuspageFormatException e) {
        problems.add(e);
      }
    }
    List<Incident> incidents = new ArrayList<>();
    JsonNode list = root.get("incidents");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new StatuspageFormatException("incidents", "must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        try {
          incidents.add(incident(list.get(i), "incidents[" + i + "]"));
        } catch (StatuspageFormatException e) {
          problems.add(e);
        }
      }
    }
    return new StatuspageSummary(page, valid, incidents, problems);
  }

  /** The unresolved incidents that name the component. */
  public List<Incident> incidentsOf(String componentId) {
    return incidents.stream().filter(i -> i.componentIds().contains(componentId)).toList();
  }

  private static Page page(JsonNode n) {
    return new Page(
        text(n, "id", "page.id", true),
        text(n, "name", "page.name", true),
        text(n, "url", "page.url", false),
        time(n, "updated_at", "page.updated_at", false));
  }

  private static Component component(JsonNode n, String path, TimeGuard timeGuard) {
    if (!n.isObject()) {
      throw new StatuspageFormatException(path, "must be an object");
    }
    String status = text(n, "status", path + ".status", true);
    if (!STATUSES.contains(status)) {
      throw new StatuspageFormatException(
          path + ".status",
          "("
              + status
              + ") must be one of operational, degraded_performance, partial_outage,"
              + " major_outage, under_maintenance");
    }
    JsonNode group = n.get("group");
    if (group != null && !group.isNull() && !group.isBoolean()) {
      throw new StatuspageFormatException(path + ".group", "must be true or false");
    }
    Component c =
        new Component(
            text(n, "id", path + ".id", true),
            text(n, "name", path + ".name", true),
            status,
            time(n, "updated_at", path + ".updated_at", true),
            group != null && group.booleanValue(),
            text(n, "group_id", path + ".group_id", false));
    if (!c.group()) {
      // A group's time is never published: only its children alert.
      try {
        timeGuard.check(path + ".updated_at", c.updatedAt());
      } catch (ContractViolation e) {
        throw new StatuspageFormatException(e.field(), e.reason());
      }
    }
    return c;
  }

  private static Incident incident(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new StatuspageFormatException(path, "must be an object");
    }
    List<String> ids = new ArrayList<>();
    JsonNode components = n.get("components");
    if (components != null && components.isArray()) {
      for (int i = 0; i < components.size(); i++) {
        ids.add(text(components.get(i), "id", path + ".components[" + i + "].id", true));
      }
    }
    return new Incident(
        text(n, "id", path + ".id", true),
        text(n, "name", path + ".name", true),
        text(n, "status", path + ".status", false),
        text(n, "impact", path + ".impact", false),
        text(n, "shortlink", path + ".shortlink", false),
        time(n, "updated_at", path + ".updated_at", false),
        ids);
  }

  private static JsonNode object(JsonNode parent, String name, String path) {
    JsonNode n = parent.get(name);
    if (n == null || !n.isObject()) {
      throw new StatuspageFormatException(path, "must be an object");
    }
    return n;
  }

  private static String text(JsonNode n, String name, String path, boolean required) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new StatuspageFormatException(path, "is required");
      }
      return null;
    }
    if (!v.isTextual() || (required && v.textValue().isBlank())) {
      throw new StatuspageFormatException(path, "must be a non-empty string");
    }
    return v.textValue();
  }

  private static Instant time(JsonNode n, String name, String path, boolean required) {
    String text = text(n, name, path, required);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new StatuspageFormatException(path, "(" + text + ") is not an RFC 3339 time");
    }
  }
}
