package dev.faultline.evaluation;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.OutageLabel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Scores {@code incident.v1} output against labelled outages ({@code outage-label.v1}). Pure: no
 * Flink, no Kafka, no clock; the same input always gives the same {@link Report}.
 *
 * <h2>Method</h2>
 *
 * <ol>
 *   <li><b>Incidents.</b> The records are reduced to incidents by id, in input order: the <em>final
 *       state</em> of an incident is the last record of its id; its <em>detection time</em> is the
 *       {@code ts} of its first record (the {@code opened} one). Each {@code opened} record is one
 *       page: an incident that resolved and opened again (a flapping fault) paged twice.
 *   <li><b>Matching.</b> An incident matches a label when their model sets intersect (the
 *       incident's final {@code models}) and their time spans overlap: the incident's {@code
 *       [opened_at, resolved_at)} (final state; open-ended while unresolved) against the label's
 *       {@code [onset - tolerance, end + tolerance)} (open-ended when {@code end} is null). Spans
 *       are half-open; an empty span ({@code opened_at == resolved_at}) counts as its instant.
 *   <li><b>Per label.</b> <em>Detected</em>: at least one incident matches. The <em>best</em>
 *       matching incident is the one sharing the most models with the label (ties: higher Jaccard,
 *       then earlier detection, then input order). <em>Scope right</em>: the best incident has the
 *       label's scope. <em>Models</em>: Jaccard index of the best incident's final model set and
 *       the label's. <em>Component right</em>: the label names no component, or the best incident's
 *       suspected layer and id equal the label's. <em>Detection delay</em>: the earliest detection
 *       time among the matching incidents minus the label's onset; when negative (an incident was
 *       already open) it is reported as zero and flagged <em>already open</em>. <em>Pages</em>: the
 *       {@code opened} records of the matching incidents. A missed label has no best incident, no
 *       delay, Jaccard 0, and neither scope nor component right.
 *   <li><b>Totals.</b> Recall = detected labels / labels (1.0 when there are no labels). Precision
 *       = incidents matching at least one label / incidents (1.0 when there are no incidents).
 *       Scope accuracy, component accuracy, mean model Jaccard, detection delay (median, p90, max)
 *       and pages per detected fault (mean, max) are taken over the detected labels only (NaN, or
 *       null for durations, when none was detected). The median of an even count is the mean of the
 *       two middle values; p90 is the nearest rank ({@code ceil(0.9 n)}-th smallest). False
 *       incidents are those matching no label, listed by id in detection order.
 * </ol>
 */
public final class Evaluation {

  /** The tolerance used when none is given: 2 minutes either side of a label's span. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(2);

  private Evaluation() {}

  /** Scores {@code records} against {@code labels} with the {@link #DEFAULT_TOLERANCE}. */
  public static Report score(List<OutageLabel> labels, List<Incident> records) {
    return score(labels, records, DEFAULT_TOLERANCE);
  }

  /**
   * Scores {@code incident.v1} records (every opened/updated/resolved record, in emission order, as
   * {@code ./faultline replay} writes them) against {@code labels}.
   *
   * @param tolerance how far before its onset and after its end a label still matches an incident;
   *     zero or positive
   */
  public static Report score(List<OutageLabel> labels, List<Incident> records, Duration tolerance) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
    List<Reduced> incidents = reduce(records);

    Map<String, List<String>> labelsOfIncident = new LinkedHashMap<>();
    incidents.forEach(i -> labelsOfIncident.put(i.id, new ArrayList<>()));

    List<Report.LabelResult> results = new ArrayList<>();
    for (OutageLabel label : labels) {
      List<Reduced> matching = new ArrayList<>();
      for (Reduced incident : incidents) {
        if (matches(incident, label, tolerance)) {
          matching.add(incident);
          labelsOfIncident.get(incident.id).add(label.id());
        }
      }
      results.add(result(label, matching));
    }

    List<Report.IncidentResult> incidentResults = new ArrayList<>();
    for (Reduced incident : incidents) {
      incidentResults.add(
          new Report.IncidentResult(
              incident.id, incident.detectedAt, incident.last, labelsOfIncident.get(incident.id)));
    }
    return new Report(tolerance, results, incidentResults, totals(results, incidentResults));
  }

  /**
   * Reads an NDJSON file of {@code incident.v1} records (blank lines and lines starting with # are
   * skipped).
   *
   * @throws IOException when the file cannot be read or a line is not a valid record; the message
   *     names the file and the line, e.g. {@code out.ndjson line 3: incident.scope ("x") is not a
   *     known value}
   */
  public static List<Incident> readIncidents(Path file) throws IOException {
    List<Incident> records = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      while (true) {
        String line;
        try {
          line = in.readLine();
        } catch (CharacterCodingException e) {
          throw new IOException(file + " line " + (n + 1) + ": not valid UTF-8", e);
        }
        if (line == null) {
          break;
        }
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          records.add(IncidentCodec.decode(line));
        } catch (ContractViolation e) {
          throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
          throw new IOException(file + " line " + n + ": not a valid incident.v1 record: " + e, e);
        }
      }
    }
    return records;
  }

  /** One incident: its id, when it was first reported, and its final state. */
  private record Reduced(String id, Instant detectedAt, Incident last, int order, int pages) {}

  private static List<Reduced> reduce(List<Incident> records) {
    Map<String, Instant> first = new LinkedHashMap<>();
    Map<String, Incident> last = new LinkedHashMap<>();
    Map<String, Integer> opened = new LinkedHashMap<>();
    for (Incident record : records) {
      first.putIfAbsent(record.id(), record.ts());
      last.put(record.id(), record);
      if (record.event() == Incident.Event.OPENED) {
        opened.merge(record.id(), 1, Integer::sum);
      }
    }
    List<Reduced> incidents = new ArrayList<>();
    for (Map.Entry<String, Instant> e : first.entrySet()) {
      // A stream that begins after an incident opened still paged it once.
      int pages = Math.max(1, opened.getOrDefault(e.getKey(), 0));
      incidents.add(
          new Reduced(e.getKey(), e.getValue(), last.get(e.getKey()), incidents.size(), pages));
    }
    // detection order; input order among equal detection times (the sort is stable)
    incidents.sort(Comparator.comparing(Reduced::detectedAt));
    return incidents;
  }

  private static boolean matches(Reduced incident, OutageLabel label, Duration tolerance) {
    if (overlap(incident.last.models(), label.models()) == 0) {
      return false;
    }
    Instant labelStart = label.onset().minus(tolerance);
    Instant labelEnd = label.end() == null ? null : label.end().plus(tolerance);
    return spansOverlap(incident.last.openedAt(), incident.last.resolvedAt(), labelStart, labelEnd);
  }

  /**
   * Half-open spans {@code [start, end)}, a null end meaning open-ended; an empty span is its
   * instant.
   */
  static boolean spansOverlap(Instant start1, Instant end1, Instant start2, Instant end2) {
    if (start1.equals(end1)) {
      return contains(start2, end2, start1);
    }
    if (start2.equals(end2)) {
      return contains(start1, end1, start2);
    }
    boolean startsBeforeSecondEnds = end2 == null || start1.isBefore(end2);
    boolean secondStartsBeforeEnd = end1 == null || start2.isBefore(end1);
    return startsBeforeSecondEnds && secondStartsBeforeEnd;
  }

  private static boolean contains(Instant start, Instant end, Instant t) {
    if (start.equals(end)) {
      return t.equals(start);
    }
    return !t.isBefore(start) && (end == null || t.isBefore(end));
  }

  private static Report.LabelResult result(OutageLabel label, List<Reduced> matching) {
    List<String> ids = matching.stream().map(Reduced::id).toList();
    if (matching.isEmpty()) {
      return new Report.LabelResult(label, false, ids, null, false, 0.0, false, null, false, 0);
    }
    Reduced best = matching.get(0);
    for (Reduced candidate : matching) {
      if (better(candidate, best, label)) {
        best = candidate;
      }
    }
    boolean scopeRight = best.last.scope() == label.scope();
    double jaccard = jaccard(best.last.models(), label.models());
    boolean componentRight = componentRight(label.suspected(), best.last.suspected());
    Instant earliest =
        matching.stream().map(Reduced::detectedAt).min(Comparator.naturalOrder()).orElseThrow();
    Duration delay = Duration.between(label.onset(), earliest);
    boolean alreadyOpen = delay.isNegative();
    return new Report.LabelResult(
        label,
        true,
        ids,
        best.id,
        scopeRight,
        jaccard,
        componentRight,
        alreadyOpen ? Duration.ZERO : delay,
        alreadyOpen,
        matching.stream().mapToInt(Reduced::pages).sum());
  }

  private static boolean better(Reduced a, Reduced b, OutageLabel label) {
    int overlapA = overlap(a.last.models(), label.models());
    int overlapB = overlap(b.last.models(), label.models());
    if (overlapA != overlapB) {
      return overlapA > overlapB;
    }
    double jaccardA = jaccard(a.last.models(), label.models());
    double jaccardB = jaccard(b.last.models(), label.models());
    if (jaccardA != jaccardB) {
      return jaccardA > jaccardB;
    }
    if (!a.detectedAt.equals(b.detectedAt)) {
      return a.detectedAt.isBefore(b.detectedAt);
    }
    return a.order < b.order;
  }

  static boolean componentRight(OutageLabel.Component wanted, Incident.Suspected got) {
    if (wanted == null) {
      return true;
    }
    return got != null && wanted.layer().equals(got.layer()) && wanted.id().equals(got.id());
  }

  private static int overlap(List<String> a, List<String> b) {
    Set<String> common = new HashSet<>(a);
    common.retainAll(new HashSet<>(b));
    return common.size();
  }

  static double jaccard(List<String> a, List<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    return union.isEmpty() ? 1.0 : (double) overlap(a, b) / union.size();
  }

  private static Report.Totals totals(
      List<Report.LabelResult> labels, List<Report.IncidentResult> incidents) {
    List<Report.LabelResult> detected =
        labels.stream().filter(Report.LabelResult::detected).toList();
    long matched = incidents.stream().filter(i -> !i.falseIncident()).count();
    List<String> falseIncidents =
        incidents.stream()
            .filter(Report.IncidentResult::falseIncident)
            .map(Report.IncidentResult::id)
            .toList();
    List<Duration> delays =
        detected.stream().map(Report.LabelResult::detectionDelay).sorted().toList();
    int n = detected.size();
    return new Report.Totals(
        labels.size(),
        n,
        incidents.size(),
        (int) matched,
        labels.isEmpty() ? 1.0 : (double) n / labels.size(),
        incidents.isEmpty() ? 1.0 : (double) matched / incidents.size(),
        mean(detected.stream().mapToDouble(r -> r.scopeRight() ? 1 : 0).toArray()),
        mean(detected.stream().mapToDouble(r -> r.componentRight() ? 1 : 0).toArray()),
        mean(detected.stream().mapToDouble(Report.LabelResult::modelJaccard).toArray()),
        median(delays),
        delays.isEmpty() ? null : delays.get((int) Math.ceil(0.9 * n) - 1),
        delays.isEmpty() ? null : delays.get(n - 1),
        mean(detected.stream().mapToDouble(Report.LabelResult::pages).toArray()),
        detected.stream().mapToInt(Report.LabelResult::pages).max().orElse(0),
        falseIncidents);
  }

  private static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static Duration median(List<Duration> sorted) {
    int n = sorted.size();
    if (n == 0) {
      return null;
    }
    if (n % 2 == 1) {
      return sorted.get(n / 2);
    }
    return sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }
}
