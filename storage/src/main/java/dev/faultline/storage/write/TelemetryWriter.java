package dev.faultline.storage.write;

import dev.faultline.contract.Alert;
import dev.faultline.contract.GpuSample;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topology;
import dev.faultline.storage.jdbc.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Writes {@code telemetry.v1} records in batches, idempotently: one statement per kind per batch,
 * each row given as columns of arrays to {@code unnest} (one round trip whatever the batch size),
 * with {@code ON CONFLICT DO NOTHING} on the record's natural key so a replayed record leaves the
 * stored one as it is. A batch is one transaction: all of it or none, so a retry is safe.
 */
public final class TelemetryWriter {

  static final String INSERT_MODEL_WINDOWS =
      """
      INSERT INTO model_window (ts, model, deployment, source, window_s, requests, errors,
          errors_by_code, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, ttft_p99,
          tokens_out, infra)
      SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::float8[],
          ?::int8[], ?::int8[], ?::jsonb[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
          ?::float8[], ?::float8[], ?::int8[], ?::jsonb[])
      ON CONFLICT DO NOTHING
      """;

  private static final String INSERT_GPU =
      """
      INSERT INTO gpu_sample (ts, node, gpu, source, mem_used_mib, mem_total_mib, util_pct, xid,
          models, infra)
      SELECT ts, node, gpu, source, used, total, util, xid,
          ARRAY(SELECT jsonb_array_elements_text(models)), infra
      FROM unnest(?::timestamptz[], ?::text[], ?::int4[], ?::text[], ?::float8[], ?::float8[],
          ?::float8[], ?::int4[], ?::jsonb[], ?::jsonb[])
          AS t(ts, node, gpu, source, used, total, util, xid, models, infra)
      ON CONFLICT DO NOTHING
      """;

  private static final String INSERT_PROBES =
      """
      INSERT INTO probe (ts, target, model, source, ok, status, latency_ms, error, infra)
      SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::bool[],
          ?::int4[], ?::float8[], ?::text[], ?::jsonb[])
      ON CONFLICT DO NOTHING
      """;

  private static final String INSERT_ALERTS =
      """
      INSERT INTO external_alert (ts, source, name, status, labels, starts_at, summary)
      SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::jsonb[],
          ?::timestamptz[], ?::text[])
      ON CONFLICT DO NOTHING
      """;

  // Only the latest declaration counts: an older one arriving late does not overwrite it.
  private static final String UPSERT_TOPOLOGY =
      """
      INSERT INTO model_topology (model, ts, source, infra)
      SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::jsonb[])
      ON CONFLICT (model) DO UPDATE SET ts = EXCLUDED.ts, source = EXCLUDED.source,
          infra = EXCLUDED.infra
      WHERE model_topology.ts <= EXCLUDED.ts
      """;

  private final DataSource dataSource;
  private final Retrier retrier;

  public TelemetryWriter(DataSource dataSource, Retrier retrier) {
    this.dataSource = dataSource;
    this.retrier = retrier;
  }

  /**
   * Writes the records in one transaction, retrying while the database is away.
   *
   * @throws InterruptedException when interrupted while waiting for the database
   */
  public void write(Collection<? extends Telemetry> records) throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    retrier.inTransaction(
        dataSource, "writing " + records.size() + " telemetry records", c -> writeIn(c, records));
  }

  /** Writes the records on the given connection, inside the caller's transaction. */
  public static void writeIn(Connection c, Collection<? extends Telemetry> records)
      throws SQLException {
    List<ModelWindow> windows = new ArrayList<>();
    List<GpuSample> gpus = new ArrayList<>();
    List<Probe> probes = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    Map<String, Topology> topologies = new LinkedHashMap<>();
    for (Telemetry t : records) {
      if (t instanceof ModelWindow w) {
        windows.add(w);
      } else if (t instanceof GpuSample g) {
        gpus.add(g);
      } else if (t instanceof Probe p) {
        probes.add(p);
      } else if (t instanceof Alert a) {
        alerts.add(a);
      } else if (t instanceof Topology tp) {
        topologies.merge(tp.model(), tp, TelemetryWriter::later);
      }
    }
    if (!windows.isEmpty()) {
      insertWindows(c, windows);
    }
    if (!gpus.isEmpty()) {
      insertGpus(c, gpus);
    }
    if (!probes.isEmpty()) {
      insertProbes(c, probes);
    }
    if (!alerts.isEmpty()) {
      insertAlerts(c, alerts);
    }
    if (!topologies.isEmpty()) {
      upsertTopologies(c, List.copyOf(topologies.values()));
    }
  }

  private static Topology later(Topology a, Topology b) {
    return b.ts().isBefore(a.ts()) ? a : b;
  }

  static void insertWindows(Connection c, List<ModelWindow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_MODEL_WINDOWS)) {
      Columns<ModelWindow> cols = new Columns<>(c, ps, rows);
      cols.text(w -> w.ts().toString());
      cols.text(ModelWindow::model);
      cols.text(w -> w.deployment() == null ? "" : w.deployment());
      cols.text(ModelWindow::source);
      cols.float8(ModelWindow::windowS);
      cols.int8(ModelWindow::requests);
      cols.int8(ModelWindow::errors);
      cols.text(w -> Json.write(w.errorsByCode()));
      cols.float8(w -> q(w.latencyMs(), Quantiles::p50));
      cols.float8(w -> q(w.latencyMs(), Quantiles::p95));
      cols.float8(w -> q(w.latencyMs(), Quantiles::p99));
      cols.float8(w -> q(w.ttftMs(), Quantiles::p50));
      cols.float8(w -> q(w.ttftMs(), Quantiles::p95));
      cols.float8(w -> q(w.ttftMs(), Quantiles::p99));
      cols.int8(ModelWindow::tokensOut);
      cols.text(w -> Json.write(w.infra()));
      ps.executeUpdate();
    }
  }

  private static void insertGpus(Connection c, List<GpuSample> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_GPU)) {
      Columns<GpuSample> cols = new Columns<>(c, ps, rows);
      cols.text(g -> g.ts().toString());
      cols.text(GpuSample::node);
      cols.int4(GpuSample::gpu);
      cols.text(GpuSample::source);
      cols.float8(GpuSample::memUsedMib);
      cols.float8(GpuSample::memTotalMib);
      cols.float8(GpuSample::utilPct);
      cols.int4(GpuSample::xid);
      cols.text(g -> Json.array(g.models()));
      cols.text(g -> Json.write(g.infra()));
      ps.executeUpdate();
    }
  }

  private static void insertProbes(Connection c, List<Probe> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_PROBES)) {
      Columns<Probe> cols = new Columns<>(c, ps, rows);
      cols.text(p -> p.ts().toString());
      cols.text(Probe::target);
      cols.text(Probe::model);
      cols.text(Probe::source);
      cols.bool(Probe::ok);
      cols.int4(Probe::status);
      cols.float8(Probe::latencyMs);
      cols.text(Probe::error);
      cols.text(p -> Json.write(p.infra()));
      ps.executeUpdate();
    }
  }

  private static void insertAlerts(Connection c, List<Alert> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_ALERTS)) {
      Columns<Alert> cols = new Columns<>(c, ps, rows);
      cols.text(a -> a.ts().toString());
      cols.text(Alert::source);
      cols.text(Alert::name);
      cols.text(Alert::status);
      cols.text(a -> Json.write(a.labels()));
      cols.text(a -> a.startsAt() == null ? null : a.startsAt().toString());
      cols.text(Alert::summary);
      ps.executeUpdate();
    }
  }

  private static void upsertTopologies(Connection c, List<Topology> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_TOPOLOGY)) {
      Columns<Topology> cols = new Columns<>(c, ps, rows);
      cols.text(Topology::model);
      cols.text(t -> t.ts().toString());
      cols.text(Topology::source);
      cols.text(t -> Json.write(t.infra()));
      ps.executeUpdate();
    }
  }

  private static Double q(Quantiles q, Function<Quantiles, Double> part) {
    return q == null ? null : part.apply(q);
  }
}
