package dev.faultline.ui.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.ui.cost.CostService;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.postmortem.PostMortemService;
import dev.faultline.ui.security.Actor;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Incidents over the API: list, one with its timeline, post-mortem, cost; ack and notes. */
@RestController
@RequestMapping(value = ApiJson.BASE + "/incidents", produces = MediaType.APPLICATION_JSON_VALUE)
class IncidentApiController {

  /** The longest note the API takes. */
  static final int MAX_NOTE = 10_000;

  private final IncidentService incidents;
  private final PostMortemService postMortems;
  private final CostService cost;

  IncidentApiController(
      IncidentService incidents, PostMortemService postMortems, CostService cost) {
    this.incidents = incidents;
    this.postMortems = postMortems;
    this.cost = cost;
  }

  @GetMapping
  ApiJson.IncidentList list(@RequestParam MultiValueMap<String, String> params) {
    IncidentFilter filter = IncidentFilter.parse(params);
    List<Incident> found = incidents.find(filter.query);
    boolean more = found.size() > filter.limit;
    List<Incident> page = more ? found.subList(0, filter.limit) : found;
    return new ApiJson.IncidentList(
        page.stream().map(ApiJson.IncidentSummary::of).toList(),
        filter.limit,
        more ? filter.next(page.get(page.size() - 1)) : null);
  }

  @GetMapping("/{id}")
  ApiJson.IncidentDetail one(@PathVariable String id) {
    return incidents.page(id).map(ApiJson.IncidentDetail::of).orElseThrow(() -> unknown(id));
  }

  @GetMapping(value = "/{id}/postmortem", produces = "text/markdown")
  ResponseEntity<String> postMortem(@PathVariable String id) {
    String md = postMortems.markdown(id).orElseThrow(() -> unknown(id));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8"))
        .body(md);
  }

  @GetMapping("/{id}/cost")
  ApiJson.Cost cost(@PathVariable String id) {
    Incident i = incidents.current(id).orElseThrow(() -> unknown(id));
    return ApiJson.Cost.of(id, cost.estimate(i));
  }

  @PostMapping("/{id}/acknowledge")
  ApiJson.Note acknowledge(@PathVariable String id, @AuthenticationPrincipal Actor actor) {
    exists(id);
    return ApiJson.Note.of(incidents.acknowledge(id, actor));
  }

  @PostMapping(value = "/{id}/notes", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ApiJson.Note> note(
      @PathVariable String id, @RequestBody JsonNode body, @AuthenticationPrincipal Actor actor) {
    exists(id);
    actor.requireResponder("annotate incidents");
    JsonNode text = body == null ? null : body.get("text");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw ApiException.badRequest("text", "text: a non-blank string");
    }
    if (text.asText().length() > MAX_NOTE) {
      throw ApiException.badRequest("text", "text: at most " + MAX_NOTE + " characters");
    }
    return ResponseEntity.status(201)
        .body(ApiJson.Note.of(incidents.addNote(id, actor, text.asText())));
  }

  private void exists(String id) {
    incidents.current(id).orElseThrow(() -> unknown(id));
  }

  private static ApiException unknown(String id) {
    return ApiException.notFound("no incident " + id);
  }
}
