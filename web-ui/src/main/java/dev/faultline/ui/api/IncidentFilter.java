package dev.faultline.ui.api;

import dev.faultline.contract.Incident;
import dev.faultline.storage.incident.IncidentQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.util.MultiValueMap;

/**
 * The list's query parameters, checked strictly (an unknown parameter or value is a 400 naming it,
 * so a typo never silently widens a query), as a storage query plus the keyset cursor.
 */
final class IncidentFilter {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  static final List<String> PARAMETERS =
      List.of(
          "status",
          "scope",
          "severity",
          "model",
          "layer",
          "component",
          "from",
          "to",
          "limit",
          "cursor");

  private final MultiValueMap<String, String> params;
  final IncidentQuery query;
  final int limit;

  private IncidentFilter(MultiValueMap<String, String> params, IncidentQuery query, int limit) {
    this.params = params;
    this.query = query;
    this.limit = limit;
  }

  /** Parses the parameters; throws {@link ApiException} naming the first bad one. */
  static IncidentFilter parse(MultiValueMap<String, String> params) {
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiException.badRequest(
            name, name + ": unknown parameter (known: " + String.join(", ", PARAMETERS) + ")");
      }
      if (params.get(name).size() > 1) {
        throw ApiException.badRequest(name, name + ": given more than once");
      }
    }
    int limit = limit(params.getFirst("limit"));
    Instant from = instant("from", params.getFirst("from"));
    Instant to = instant("to", params.getFirst("to"));
    if (from != null && to != null && to.isBefore(from)) {
      throw ApiException.badRequest("to", "to: is before from");
    }
    // One more than asked, to know whether there is a next page.
    IncidentQuery q =
        IncidentQuery.recent()
            .withLimit(limit + 1)
            .withStatus(
                named(
                    "status",
                    params.getFirst("status"),
                    Incident.Status.values(),
                    Incident.Status::wireName))
            .withScope(
                named(
                    "scope",
                    params.getFirst("scope"),
                    Incident.Scope.values(),
                    Incident.Scope::wireName))
            .withSeverity(
                named(
                    "severity",
                    params.getFirst("severity"),
                    Incident.Severity.values(),
                    Incident.Severity::wireName))
            .withModel(text("model", params.getFirst("model")))
            .withComponent(
                text("layer", params.getFirst("layer")),
                text("component", params.getFirst("component")))
            .between(from, to);
    String cursor = params.getFirst("cursor");
    if (cursor != null) {
      q = q.after(decode(cursor));
    }
    return new IncidentFilter(params, q, limit);
  }

  /** The next page's path and query: the same filters, after the given incident. */
  String next(Incident last) {
    StringBuilder b = new StringBuilder(ApiJson.BASE + "/incidents?");
    for (String name : PARAMETERS) {
      String v = params.getFirst(name);
      if (v != null && !name.equals("cursor")) {
        // URLEncoder writes a space as '+'; a '+' of a time's offset must stay one.
        b.append(name)
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"))
            .append('&');
      }
    }
    return b.append("cursor=").append(encode(IncidentQuery.Position.of(last))).toString();
  }

  private static int limit(String v) {
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit", "limit: a whole number from 1 to " + MAX_LIMIT);
  }

  private static Instant instant(String name, String v) {
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name, name + ": not an ISO-8601 time with an offset, e.g. 2026-06-22T14:00:00Z");
    }
  }

  private static String text(String name, String v) {
    if (v == null) {
      return null;
    }
    if (v.isBlank() || v.length() > 200) {
      throw ApiException.badRequest(name, name + ": 1 to 200 characters");
    }
    return v.strip();
  }

  /** The value whose contract wire name ({@code wireName}) is {@code v}, any case. */
  private static <E extends Enum<E>> E named(
      String name, String v, E[] values, Function<E, String> wireName) {
    if (v == null) {
      return null;
    }
    String given = v.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values)
        .filter(e -> wireName.apply(e).equals(given))
        .findFirst()
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    name,
                    name
                        + ": unknown value (one of "
                        + Arrays.stream(values).map(wireName).collect(Collectors.joining(", "))
                        + ")"));
  }

  static String encode(IncidentQuery.Position p) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((p.openedAt() + "\n" + p.id()).getBytes(StandardCharsets.UTF_8));
  }

  static IncidentQuery.Position decode(String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return new IncidentQuery.Position(Instant.parse(s.substring(0, nl)), s.substring(nl + 1));
    } catch (RuntimeException e) {
      throw ApiException.badRequest("cursor", "cursor: not a cursor this API gave out");
    }
  }
}
