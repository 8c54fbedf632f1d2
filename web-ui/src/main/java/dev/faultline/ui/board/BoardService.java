package dev.faultline.ui.board;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.metrics.ModelAvailability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/** The live board: recent incidents and the fleet's state. */
@Service
public class BoardService {

  /** Above this failed share, a model with no incident shows as degraded. */
  public static final double DEGRADED_ERROR_RATIO = 0.05;

  static final Duration RECENT = Duration.ofMinutes(5);
  static final Duration ROSTER = Duration.ofHours(1);

  private final Storage storage;
  private final Clock clock;

  public BoardService(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** The board now: open incidents first, then the most recently changed. */
  public Board snapshot() {
    Instant now = clock.instant();
    List<Incident> incidents = storage.incidents().find(IncidentQuery.recent().withLimit(50));
    List<Board.Row> rows = new ArrayList<>();
    for (Incident i : incidents) {
      rows.add(row(i, now));
    }
    rows.sort(
        Comparator.comparing((Board.Row r) -> r.status() == Incident.Status.OPEN ? 0 : 1)
            .thenComparing(Board.Row::lastChange, Comparator.reverseOrder()));
    return new Board(now, rows, fleet(now, incidents));
  }

  private Board.Row row(Incident i, Instant now) {
    Instant end = i.resolvedAt() != null ? i.resolvedAt() : now;
    Duration d = Duration.between(i.openedAt(), end);
    boolean acked =
        storage.incidents().notes(i.id()).stream()
            .anyMatch(n -> n.kind() == dev.faultline.storage.incident.IncidentNote.Kind.ACK);
    return new Board.Row(
        i.id(),
        i.status(),
        i.scope(),
        i.severity(),
        i.models(),
        i.suspected(),
        i.openedAt(),
        i.ts(),
        d.isNegative() ? Duration.ZERO : d,
        i.failedRequests(),
        acked);
  }

  private List<Board.ModelState> fleet(Instant now, List<Incident> incidents) {
    Map<String, String> failing = new TreeMap<>();
    for (Incident i : incidents) {
      if (i.status() == Incident.Status.OPEN) {
        i.models().forEach(m -> failing.putIfAbsent(m, i.id()));
      }
    }
    Set<String> roster = new HashSet<>(failing.keySet());
    storage.metrics().availability(now.minus(ROSTER), now).forEach(a -> roster.add(a.model()));
    Map<String, ModelAvailability> recent = new TreeMap<>();
    storage.metrics().availability(now.minus(RECENT), now).forEach(a -> recent.put(a.model(), a));
    List<Board.ModelState> states = new ArrayList<>();
    for (String model : new java.util.TreeSet<>(roster)) {
      ModelAvailability a = recent.get(model);
      double ratio = a == null || a.requests() == 0 ? 0.0 : (double) a.errors() / a.requests();
      Board.State state;
      if (failing.containsKey(model)) {
        state = Board.State.FAILING;
      } else if (a == null || a.requests() == 0) {
        state = Board.State.NO_DATA;
      } else if (ratio >= DEGRADED_ERROR_RATIO) {
        state = Board.State.DEGRADED;
      } else {
        state = Board.State.HEALTHY;
      }
      states.add(new Board.ModelState(model, state, ratio, failing.get(model)));
    }
    return states;
  }
}
