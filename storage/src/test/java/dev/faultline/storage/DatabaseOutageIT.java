package dev.faultline.storage;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.faultline.contract.Incident;
import dev.faultline.contract.ModelWindow;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.FreePorts;
import dev.faultline.storage.write.IncidentWriter;
import dev.faultline.storage.write.TelemetryWriter;
import dev.faultline.storage.write.WriteRetry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's "retries when the database is briefly away, back-pressure instead of loss", shown on a
 * real PostgreSQL server that is stopped in the middle of a stream of writes and started again on
 * the same data directory and port a few seconds later. The writers must neither throw nor return
 * while it is away, and every record must be stored exactly once when it is back.
 */
class DatabaseOutageIT {

  static final Instant START = Instant.parse("2026-06-22T14:00:00Z");
  static final int BATCHES = 50;
  static final int PER_BATCH = 100;
  static final int MODELS = 10;

  /** Batches written before the server is stopped: the outage hits a stream in full flow. */
  static final int STOP_AFTER = 15;

  /** Telemetry arrives over time, not all at once; the pace keeps batches left for the outage. */
  static final Duration PACE = Duration.ofMillis(50);

  /** How long the server stays away (about: the test asserts no timing). */
  static final Duration OUTAGE = Duration.ofSeconds(4);

  static final Duration DEADLINE = Duration.ofSeconds(40);

  @TempDir Path dataDir;

  /** What one writer thread has done: calls begun, calls returned, and any error. */
  static final class Progress {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicReference<Throwable> error = new AtomicReference<>();
  }

  @Test
  void writersBlockWhileTheDatabaseIsDownAndStoreEveryRecordOnceWhenItIsBack() throws Exception {
    int port = FreePorts.pick(); // fixed, so the restarted server has the same URL
    EmbeddedPostgres first = EmbeddedPostgres.start(dataDir, port, false);
    EmbeddedPostgres second = null;
    StorageConfig config =
        StorageConfig.of(first.jdbcUrl(), first.user(), first.password())
            .withPoolSize(2)
            .withTimescale(StorageConfig.TimescaleMode.OFF)
            // short pauses and no give-up: the test is about waiting, not about back-off length
            .withRetry(new WriteRetry(Duration.ofMillis(50), Duration.ofMillis(500), 0));
    Progress telemetry = new Progress();
    Progress incidents = new Progress();
    CountDownLatch serverStopped = new CountDownLatch(1);
    List<Incident> incidentRecords = new ArrayList<>(Fixtures.incidents("sched-east.ndjson"));
    incidentRecords.addAll(Fixtures.incidents("llama-alone.ndjson"));
    Thread telemetryThread = null;
    Thread incidentThread = null;
    try (Storage storage = Storage.open(config, Clock.fixed(START, ZoneOffset.UTC))) {
      TelemetryWriter telemetryWriter = storage.telemetryWriter();
      IncidentWriter incidentWriter = storage.incidentWriter();
      telemetryThread =
          new Thread(
              () -> {
                try {
                  for (int b = 0; b < BATCHES; b++) {
                    telemetry.started.incrementAndGet();
                    telemetryWriter.write(batch(b));
                    telemetry.done.incrementAndGet();
                    Thread.sleep(PACE.toMillis());
                  }
                } catch (Throwable t) {
                  telemetry.error.set(t);
                }
              },
              "outage-telemetry-writer");
      // Half the incident records go in before the outage, the other half are written while the
      // server is down, so an incident write is certainly caught by it.
      incidentThread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < incidentRecords.size(); i++) {
                    if (i == incidentRecords.size() / 2) {
                      serverStopped.await();
                    }
                    incidents.started.incrementAndGet();
                    incidentWriter.write(List.of(incidentRecords.get(i)));
                    incidents.done.incrementAndGet();
                  }
                } catch (Throwable t) {
                  incidents.error.set(t);
                }
              },
              "outage-incident-writer");
      telemetryThread.start();
      incidentThread.start();

      awaitTrue(
          "telemetry batches written before the outage",
          () -> telemetry.done.get() >= STOP_AFTER || telemetry.error.get() != null);
      assertNull(telemetry.error.get(), "telemetry writer failed before the outage");

      first.close(); // fast shutdown: open sessions are cut, new connections refused
      serverStopped.countDown();
      assertTrue(
          telemetry.done.get() < BATCHES,
          "the writer finished before the server stopped; nothing was written during the outage");

      // The outage itself: a real pause, since the point is that nothing happens during it. A
      // write that had committed just before the stop may still be returning in the first second.
      Thread.sleep(1_000);
      int doneEarly = telemetry.done.get();
      Thread.sleep(OUTAGE.toMillis() - 1_000);
      int incidentsHalf = incidentRecords.size() / 2;
      Thread tt = telemetryThread;
      Thread it = incidentThread;
      assertAll(
          "while the database is away",
          () -> assertNull(telemetry.error.get(), "telemetry writer surfaced an error"),
          () -> assertNull(incidents.error.get(), "incident writer surfaced an error"),
          () -> assertTrue(tt.isAlive(), "telemetry writer ended"),
          () -> assertTrue(it.isAlive(), "incident writer ended"),
          () -> assertEquals(doneEarly, telemetry.done.get(), "a telemetry write returned"),
          () ->
              assertEquals(
                  telemetry.done.get() + 1,
                  telemetry.started.get(),
                  "the telemetry writer is not inside a write call"),
          () -> assertEquals(incidentsHalf, incidents.done.get(), "an incident write returned"),
          () ->
              assertEquals(
                  incidentsHalf + 1,
                  incidents.started.get(),
                  "the incident writer is not inside a write call"));

      second = EmbeddedPostgres.start(dataDir, port, false);
      assertEquals(config.jdbcUrl(), second.jdbcUrl(), "the restarted server has another URL");

      telemetryThread.join(DEADLINE.toMillis());
      incidentThread.join(DEADLINE.toMillis());
      assertAll(
          "after the database came back",
          () -> assertFalse(tt.isAlive(), "telemetry writer still blocked"),
          () -> assertFalse(it.isAlive(), "incident writer still blocked"),
          () -> assertNull(telemetry.error.get(), "telemetry writer surfaced an error"),
          () -> assertNull(incidents.error.get(), "incident writer surfaced an error"),
          () -> assertEquals(BATCHES, telemetry.done.get()),
          () -> assertEquals(incidentRecords.size(), incidents.done.get()));

      // Every record once, read through the same pool the writers used.
      long expectedRequests = 0;
      for (int b = 0; b < BATCHES; b++) {
        for (ModelWindow w : batch(b)) {
          expectedRequests += w.requests();
        }
      }
      try (Connection c = storage.dataSource().getConnection();
          Statement s = c.createStatement()) {
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT (model, deployment, source, ts)), sum(requests)"
                    + " FROM model_window");
        rs.next();
        assertEquals(BATCHES * PER_BATCH, rs.getLong(1), "model_window rows");
        assertEquals(BATCHES * PER_BATCH, rs.getLong(2), "distinct natural keys");
        assertEquals(expectedRequests, rs.getLong(3), "sum of requests");
        rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT (incident_id, event, ts)) FROM incident_event");
        rs.next();
        assertEquals(incidentRecords.size(), rs.getLong(1), "incident_event rows");
        assertEquals(incidentRecords.size(), rs.getLong(2), "distinct incident events");
      }
      assertEquals(
          Incident.Status.RESOLVED,
          storage.incidents().current(Fixtures.SCHED_EAST).orElseThrow().status(),
          "the incident's current state is its last record");

      // The pool recovered: it holds live connections, nobody waits, and a new write returns.
      HikariDataSource pool = (HikariDataSource) storage.dataSource();
      assertNotNull(pool.getHikariPoolMXBean());
      assertTrue(pool.getHikariPoolMXBean().getTotalConnections() >= 1, "pool holds no connection");
      assertEquals(0, pool.getHikariPoolMXBean().getThreadsAwaitingConnection());
      storage.telemetryWriter().write(batch(BATCHES));
      try (Connection c = storage.dataSource().getConnection();
          Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery("SELECT count(*) FROM model_window");
        rs.next();
        assertEquals((BATCHES + 1) * PER_BATCH, rs.getLong(1));
      }
    } finally {
      serverStopped.countDown();
      interruptAndWait(telemetryThread);
      interruptAndWait(incidentThread);
      if (second != null) {
        second.close();
      } else {
        closeQuietly(first);
      }
    }
  }

  /** Batch b: 100 windows, 10 models x 10 consecutive 10-second windows, keys unique overall. */
  static List<ModelWindow> batch(int b) {
    List<ModelWindow> out = new ArrayList<>(PER_BATCH);
    for (int i = 0; i < PER_BATCH; i++) {
      Instant ts = START.plusSeconds(10L * ((long) b * (PER_BATCH / MODELS) + i / MODELS));
      out.add(Fixtures.window("model-" + (i % MODELS), ts, 100 + b, i % 5));
    }
    return out;
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static void interruptAndWait(Thread t) throws InterruptedException {
    if (t != null && t.isAlive()) {
      t.interrupt();
      t.join(5_000);
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (RuntimeException ignored) {
      // already stopped by the test
    }
  }
}
