package dev.faultline.ui.board;

import dev.faultline.contract.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the live board shows at one instant.
 *
 * @param rows open incidents first, then by newest change
 * @param fleet every model that reported in the last hour, by name
 */
public record Board(Instant at, List<Row> rows, List<ModelState> fleet) {

  public Board {
    rows = List.copyOf(rows);
    fleet = List.copyOf(fleet);
  }

  /** One incident on the board. */
  public record Row(
      String id,
      Incident.Status status,
      Incident.Scope scope,
      Incident.Severity severity,
      List<String> models,
      Incident.Suspected suspected,
      Instant openedAt,
      Instant lastChange,
      Duration duration,
      long failedRequests,
      boolean acknowledged) {

    public Row {
      models = List.copyOf(models);
    }

    /** "4: a, b, c, d". */
    public String modelsText() {
      return models.size() + ": " + String.join(", ", models);
    }

    /** "cluster gpu-east-1 (87%)" or "—". */
    public String suspectedText() {
      return suspected == null
          ? "—"
          : suspected.layer()
              + " "
              + suspected.id()
              + " ("
              + Math.round(suspected.confidence() * 100)
              + "%)";
    }
  }

  /**
   * One model's state now.
   *
   * @param errorRatio failed share of its requests over the last minutes
   * @param incidentId the open incident it is part of, or null
   */
  public record ModelState(String model, State state, double errorRatio, String incidentId) {}

  /** How a model is doing. */
  public enum State {
    /** Part of an open incident. */
    FAILING,
    /** Errors above the threshold, no incident (yet). */
    DEGRADED,
    HEALTHY,
    /** Reported in the last hour, not in the last minutes. */
    NO_DATA
  }
}
