package dev.faultline.bench;

import dev.faultline.contract.Incident;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.write.TelemetryWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Storage: model-window rows/s through {@link TelemetryWriter} (batches of 1000, {@code unnest}
 * arrays, {@code ON CONFLICT DO NOTHING}) against one raw {@code COPY} of the same rows into a
 * table with the same columns, keys and indexes; then the incident page's queries with {@code days}
 * of a 13-model fleet's windows stored.
 */
final class StorageBench {

  private final Storage storage;

  StorageBench(Storage storage) {
    this.storage = storage;
  }

  void sink(ResultTable table, int rows, int runs) throws Exception {
    List<ModelWindow> windows = new ArrayList<>(rows);
    Iterator<Telemetry> it =
        Simulator.scenario("seed-outage").withDuration(Duration.ofDays(2)).iterator();
    while (windows.size() < rows && it.hasNext()) {
      if (it.next() instanceof ModelWindow w) {
        windows.add(w);
      }
    }
    byte[] csv = csv(windows);
    execute("CREATE TABLE IF NOT EXISTS model_window_copy (LIKE model_window INCLUDING ALL)");
    List<Double> writer = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      execute("TRUNCATE model_window");
      long t0 = System.nanoTime();
      for (int from = 0; from < windows.size(); from += 1000) {
        storage.telemetryWriter().write(windows.subList(from, Math.min(from + 1000, rows)));
      }
      double w = windows.size() / IngestBench.seconds(t0);
      execute("TRUNCATE model_window_copy");
      t0 = System.nanoTime();
      try (Connection c = storage.dataSource().getConnection()) {
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY model_window_copy (ts, model, deployment, source, window_s, requests,"
                    + " errors, errors_by_code, latency_p50, latency_p95, latency_p99, ttft_p50,"
                    + " ttft_p95, ttft_p99, tokens_out, infra) FROM STDIN (FORMAT csv)",
                new ByteArrayInputStream(csv));
      }
      double c = windows.size() / IngestBench.seconds(t0);
      if (i > 0) { // the first round warms up the JIT and the database's caches
        writer.add(w);
        copy.add(c);
      }
    }
    table.add(
        "storage",
        "TelemetryWriter model_window rows/s",
        Stats.of(writer),
        "rows/s",
        "raw COPY (csv, one stream)",
        Stats.of(copy),
        String.format(
            "%,d rows of the 13-model fleet, batches of 1000, embedded PostgreSQL; CSV built"
                + " before timing",
            windows.size()));
  }

  /** Fills {@code days} of windows for the 13 models (SQL), writes incidents, times the page. */
  void incidentPage(ResultTable table, int days, int repetitions) throws Exception {
    execute("TRUNCATE model_window");
    Instant end = Instant.parse("2026-06-23T00:00:00Z");
    Instant start = end.minus(Duration.ofDays(days));
    List<ModelWindow> sample = new ArrayList<>();
    Iterator<Telemetry> it = Simulator.scenario("seed-outage").iterator();
    while (sample.size() < 13 && it.hasNext()) {
      if (it.next() instanceof ModelWindow w) {
        sample.add(w);
      }
    }
    long t0 = System.nanoTime();
    for (ModelWindow w : sample) {
      execute(
          String.format(
              "INSERT INTO model_window (ts, model, deployment, source, window_s, requests, errors,"
                  + " errors_by_code, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95,"
                  + " ttft_p99, tokens_out, infra) SELECT g, '%s', '', '%s', 10, %d,"
                  + " (random() * 3)::int, '{\"500\": 1}', %f, %f, %f, %f, %f, %f, %d, '%s'"
                  + " FROM generate_series(timestamptz '%s', timestamptz '%s', interval '10"
                  + " seconds') g",
              w.model(),
              w.source(),
              w.requests(),
              w.latencyMs().p50(),
              w.latencyMs().p95(),
              w.latencyMs().p99(),
              w.ttftMs().p50(),
              w.ttftMs().p95(),
              w.ttftMs().p99(),
              w.tokensOut(),
              json(w.infra()),
              start.plusSeconds(10),
              end));
    }
    execute("ANALYZE model_window");
    double fillSeconds = IngestBench.seconds(t0);
    long stored;
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM model_window")) {
      rs.next();
      stored = rs.getLong(1);
    }
    List<Incident> records = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      Instant onset = start.plus(Duration.ofDays(d)).plus(Duration.ofHours(14));
      records.addAll(incident("bench-" + d, onset, sample));
    }
    storage.incidentWriter().write(records);
    String id = "bench-" + (days / 2);
    List<Double> board = new ArrayList<>();
    List<Double> page = new ArrayList<>();
    for (int i = 0; i < repetitions + 3; i++) {
      long b0 = System.nanoTime();
      storage.incidents().find(IncidentQuery.recent().withLimit(50));
      double b = (System.nanoTime() - b0) / 1e6;
      long p0 = System.nanoTime();
      Incident incident = storage.incidents().detail(id).orElseThrow().current();
      storage
          .metrics()
          .aroundIncident(
              incident, Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(1));
      storage.incidents().failedRequests(id);
      double p = (System.nanoTime() - p0) / 1e6;
      if (i >= 3) {
        board.add(b);
        page.add(p);
      }
    }
    String volume =
        String.format(
            "%,d model_window rows (%d days x 13 models, filled by SQL in %.0f s), %d incidents",
            stored, days, fillSeconds, days);
    table.add(
        "storage",
        "incident page: detail + series around it + failed requests",
        Stats.of(page),
        "ms",
        null,
        null,
        volume + "; p99 " + ResultTable.number(Stats.percentile(page, 99)) + " ms");
    table.add(
        "storage",
        "incident board: 50 most recent",
        Stats.of(board),
        "ms",
        null,
        null,
        "same data; p99 " + ResultTable.number(Stats.percentile(board, 99)) + " ms");
  }

  private static List<Incident> incident(String id, Instant onset, List<ModelWindow> sample) {
    List<String> models = sample.stream().limit(4).map(ModelWindow::model).toList();
    Instant resolved = onset.plus(Duration.ofMinutes(45));
    Incident.Suspected suspect = new Incident.Suspected("scheduler", "sched-east", 0.93);
    List<Incident.TimelineEntry> timeline =
        models.stream()
            .map(m -> new Incident.TimelineEntry(onset, "model_degraded", m, null))
            .collect(Collectors.toList());
    return List.of(
        new Incident(
            id,
            Incident.Event.OPENED,
            onset.plusSeconds(30),
            Incident.Scope.INFRASTRUCTURE,
            Incident.Status.OPEN,
            onset,
            null,
            models,
            suspect,
            Incident.Severity.CRITICAL,
            1000,
            timeline),
        new Incident(
            id,
            Incident.Event.RESOLVED,
            resolved,
            Incident.Scope.INFRASTRUCTURE,
            Incident.Status.RESOLVED,
            onset,
            resolved,
            models,
            suspect,
            Incident.Severity.CRITICAL,
            90_000,
            timeline));
  }

  private void execute(String sql) throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static byte[] csv(List<ModelWindow> windows) {
    StringBuilder b = new StringBuilder(windows.size() * 400);
    for (ModelWindow w : windows) {
      b.append(w.ts()).append(',');
      b.append(w.model()).append(',');
      // Quoted: in CSV an unquoted empty field is NULL, and this key column is NOT NULL.
      b.append('"').append(w.deployment() == null ? "" : w.deployment()).append("\",");
      b.append(w.source()).append(',');
      b.append(w.windowS()).append(',');
      b.append(w.requests()).append(',');
      b.append(w.errors()).append(',');
      b.append(quote(json(w.errorsByCode() == null ? Map.of() : w.errorsByCode()))).append(',');
      b.append(w.latencyMs() == null ? "" : w.latencyMs().p50()).append(',');
      b.append(w.latencyMs() == null ? "" : w.latencyMs().p95()).append(',');
      b.append(w.latencyMs() == null ? "" : w.latencyMs().p99()).append(',');
      b.append(w.ttftMs() == null ? "" : w.ttftMs().p50()).append(',');
      b.append(w.ttftMs() == null ? "" : w.ttftMs().p95()).append(',');
      b.append(w.ttftMs() == null ? "" : w.ttftMs().p99()).append(',');
      b.append(w.tokensOut() == null ? "" : w.tokensOut()).append(',');
      b.append(quote(json(w.infra() == null ? Map.of() : w.infra()))).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A flat JSON object of simple values, keys in order. */
  static String json(Map<String, ?> map) {
    return new TreeMap<>(map)
        .entrySet().stream()
            .map(
                e ->
                    "\""
                        + e.getKey()
                        + "\": "
                        + (e.getValue() instanceof Number
                            ? e.getValue()
                            : "\"" + e.getValue() + "\""))
            .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
