package dev.faultline.ui.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.storage.silence.Silence;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.silence.SilenceService;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Silences over the API, through the UI's {@link SilenceService}: list, create, end now. */
@RestController
@RequestMapping(value = ApiJson.BASE + "/silences", produces = MediaType.APPLICATION_JSON_VALUE)
class SilenceApiController {

  private final SilenceService silences;
  private final Clock clock;

  SilenceApiController(SilenceService silences, Clock clock) {
    this.silences = silences;
    this.clock = clock;
  }

  @GetMapping
  ApiJson.SilenceList list() {
    Instant now = clock.instant();
    return new ApiJson.SilenceList(
        silences.currentAndUpcoming().stream().map(s -> ApiJson.SilenceJson.of(s, now)).toList());
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ApiJson.SilenceJson> create(
      @RequestBody JsonNode body, @AuthenticationPrincipal Actor actor) {
    actor.requireResponder("silence incidents");
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("body", "body: a JSON object");
    }
    Silence.Matcher matcher = matcher(body.get("matcher"));
    String value = string(body, "value", true);
    Instant from = time(body, "from", false);
    Instant until = time(body, "until", true);
    String reason = string(body, "reason", true);
    Silence s;
    try {
      s = silences.create(actor, matcher, value, from, until, reason);
    } catch (IllegalArgumentException e) {
      // The stored record names its own fields; say the API's.
      String msg = String.valueOf(e.getMessage());
      if (msg.startsWith("endsAt")) {
        throw ApiException.badRequest("until", "until: must be after from");
      }
      throw e;
    }
    return ResponseEntity.created(URI.create(ApiJson.BASE + "/silences/" + s.id()))
        .body(ApiJson.SilenceJson.of(s, clock.instant()));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> end(@PathVariable long id, @AuthenticationPrincipal Actor actor) {
    if (!silences.end(actor, id)) {
      throw ApiException.notFound("no silence " + id + " in force or upcoming");
    }
    return ResponseEntity.noContent().build();
  }

  private static Silence.Matcher matcher(JsonNode v) {
    if (v != null && v.isTextual()) {
      for (Silence.Matcher m : Silence.Matcher.values()) {
        if (m.wireName().equals(v.asText().strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
    }
    throw ApiException.badRequest("matcher", "matcher: one of component, layer, model");
  }

  private static String string(JsonNode body, String name, boolean required) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.badRequest(name, name + ": required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest(name, name + ": a non-blank string");
    }
    return v.asText();
  }

  private static Instant time(JsonNode body, String name, boolean required) {
    String v = string(body, name, required);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name, name + ": not an ISO-8601 time with an offset, e.g. 2026-06-22T16:00:00Z");
    }
  }
}
