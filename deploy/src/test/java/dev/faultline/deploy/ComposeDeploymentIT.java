package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.PagerReceiver;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The platform as {@code compose.yaml} declares it, each service its own OS process on this machine
 * (no Docker), wired only by the command lines and environment the file gives them (read from it;
 * service host names and ports mapped to free local ones):
 *
 * <ul>
 *   <li>{@code kafka}: {@link KafkaBrokerProcess}, Kafka's own {@code kafka.Kafka} in its JVM,
 *       configured from the service's {@code KAFKA_*} environment; topics created as {@code
 *       kafka-topics} does;
 *   <li>{@code timescaledb}: PostgreSQL (embedded binaries, its own process) with Compose's {@code
 *       POSTGRES_USER} owning {@code POSTGRES_DB};
 *   <li>{@code jobmanager}, {@code taskmanager}: a standalone Flink cluster ({@link
 *       StandaloneFlinkCluster}, two JVMs) with the Flink keys of {@code FLINK_PROPERTIES} this
 *       machine can honour, the job jar uploaded and run over REST with the JobManager's command;
 *   <li>{@code ingest}, {@code storage-writer}, {@code notifier}, {@code ui}: {@link
 *       ComposeServices}; the job writes Kafka only, the storage writer the database.
 * </ul>
 *
 * The simulator's seed outage is pushed into ingest over HTTP; the infrastructure incident must
 * reach the database, the UI (signed in) and a local PagerDuty stand-in once. Then the job is
 * stopped with a savepoint mid-incident and the Flink cluster killed, as an upgrade does (Compose's
 * README, Kubernetes' {@code upgradeMode: savepoint}); a new cluster runs the jar from that
 * savepoint, and the incident goes on under its id and resolves once.
 */
class ComposeDeploymentIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration PAGE_WAIT = Duration.ofMinutes(3);
  private static final int PUSH_BATCH = 1_000;

  /** Keys of {@code FLINK_PROPERTIES} this machine does not take as written, and why. */
  private static final Map<String, String> FLINK_KEYS_NOT_TAKEN =
      Map.of(
          "jobmanager.rpc.address", "loopback (the cluster's own)",
          "jobmanager.memory.process.size", "the test cluster's smaller sizes",
          "taskmanager.memory.process.size", "the test cluster's smaller sizes");

  private static final String HA_PREFIX = "high-availability.";

  /** The PagerDuty event's {@code payload.class} of an infrastructure incident. */
  private static final String INFRASTRUCTURE = Incident.Scope.INFRASTRUCTURE.wireName();

  @Test
  void seedOutagePagesOnceThroughTheComposeServicesAndSurvivesAFlinkUpgrade() throws Exception {
    Path work =
        Files.createDirectories(
                DeployFiles.moduleDir()
                    .resolve("target/compose-deployment/" + System.currentTimeMillis()))
            .toAbsolutePath();
    String routingKey = "compose-it-routing-key-0123456789";
    Map<String, String> dotEnv =
        ComposeServices.dotEnv(Map.of("PAGERDUTY_ROUTING_KEY", routingKey));

    Simulator sim =
        Simulator.scenario("seed-outage")
            .withDuration(Duration.ofMinutes(90))
            .withStart(Instant.now().minus(Duration.ofMinutes(95)).truncatedTo(ChronoUnit.MINUTES));
    Expected truth = sim.expected().get(0);
    List<Telemetry> records = sim.stream().toList();
    // the first cluster sees the baseline and the fault until after it paged; the second the rest
    Instant cut = truth.onset().plus(Duration.ofMinutes(3));
    assertTrue(cut.isBefore(truth.end()), "the fault lasts past the upgrade");

    JobManager jm = new JobManager(dotEnv, work.resolve("flink"));
    Timings timings = new Timings();
    try (PagerReceiver pager = new PagerReceiver();
        Starting<KafkaBrokerProcess> kafkaStarting =
            Starting.in(() -> KafkaBrokerProcess.start(dotEnv, work.resolve("kafka"), START));
        Starting<EmbeddedPostgres> pgStarting = Starting.in(EmbeddedPostgres::start);
        // the Flink cluster needs neither until the job runs: all three start at once
        Starting<StandaloneFlinkCluster> firstCluster = Starting.in(jm::startCluster)) {
      KafkaBrokerProcess kafka = kafkaStarting.get();
      EmbeddedPostgres pg = pgStarting.get();
      ComposeServices.createComposeDatabaseUser(pg, dotEnv.get("FAULTLINE_DB_PASSWORD"));
      // what the one-shot kafka-topics service does before the job starts
      EmbeddedKafka.createTopics(kafka.bootstrapServers(), Topics.all());
      Map<String, String> hosts = new LinkedHashMap<>(kafka.hostMapping());
      hosts.put("timescaledb:5432", "127.0.0.1:" + pg.port());
      timings.mark("kafka, postgres");

      try (ComposeServices compose = new ComposeServices(dotEnv, hosts, work.resolve("logs"))) {
        StandaloneFlinkCluster first = firstCluster.get();
        timings.mark("flink cluster");
        // ingest, storage writer, notifier and UI depend only on kafka (its topics created) and
        // timescaledb, both up: all at once
        Map<String, ComposeServices.Service> services = new LinkedHashMap<>();
        services.put("ingest", compose.start("ingest", Map.of()));
        services.put("storage-writer", compose.start("storage-writer", Map.of()));
        // the pager stand-in listens on loopback, which the notifier refuses unless allowed
        services.put(
            "notifier",
            compose.start("notifier", Map.of("FAULTLINE_NOTIFIER_ALLOW_OUTBOUND", "127.0.0.1/32")));
        services.put("ui", compose.start("ui", Map.of()));
        String jobId = jm.submit(first, compose, null);
        for (Map.Entry<String, ComposeServices.Service> s : services.entrySet()) {
          for (URI probe : ComposeServices.declaredProbes(s.getKey())) {
            s.getValue().awaitOk(probe, START);
          }
        }
        timings.mark("services ready, job running");
        StorageConfig storageConfig = storageConfigOf(compose, hosts);
        routeEverythingToPagerDuty(storageConfig, pager.url());

        push(compose, records, r -> r.ts().isBefore(cut));
        JsonNode trigger =
            pager.await(
                e ->
                    e.path("event_action").asText().equals("trigger")
                        && e.path("payload").path("class").asText().equals(INFRASTRUCTURE),
                PAGE_WAIT,
                "an infrastructure trigger");
        String id = trigger.path("dedup_key").asText();
        timings.mark("paged");

        Incident stored = storedIncident(storageConfig, id);
        assertEquals(Incident.Scope.INFRASTRUCTURE, stored.scope(), "stored: " + stored);
        assertEquals(
            truth.suspected().layer() + "/" + truth.suspected().id(),
            stored.suspected().layer() + "/" + stored.suspected().id(),
            "suspected component");
        assertEquals(Incident.Status.OPEN, stored.status(), "open before the upgrade");

        String markdown = signedInUi(services.get("ui")).get("/export/" + id + ".md");
        assertTrue(
            markdown.contains(id) && markdown.contains(truth.suspected().id()),
            "the UI's post-mortem of " + id + ":\n" + markdown);
        assertEquals(
            List.of("trigger"), infrastructurePages(pager.events()), "pages before the upgrade");

        // an upgrade: stop with a savepoint where compose.yaml keeps them, the cluster gone
        String savepoint =
            first.rest().stopWithSavepoint(jobId, jm.savepointDir(), Duration.ofMinutes(1));
        assertTrue(
            savepoint.contains(Path.of(URI.create(jm.savepointDir())).toString()), savepoint);
        first.close();
        timings.mark("stopped with a savepoint");

        try (StandaloneFlinkCluster second = jm.startCluster()) {
          jm.submit(second, compose, latestSavepoint(jm));
          timings.mark("job resumed on a new cluster");
          push(compose, records, r -> !r.ts().isBefore(cut));
          pager.await(
              e ->
                  e.path("event_action").asText().equals("resolve")
                      && e.path("dedup_key").asText().equals(id),
              PAGE_WAIT,
              "the incident's resolve after the upgrade");
          timings.mark("resolved");
          // the job has read and checkpointed every record: anything it would page twice is out
          awaitCommittedToTheEnd(
              kafka.bootstrapServers(), jm.groupId(compose), Duration.ofMinutes(1));
          Thread.sleep(3_000);
          List<JsonNode> events = pager.events();
          assertEquals(
              List.of("trigger", "resolve"), infrastructurePages(events), "pages: " + events);
          assertEquals(
              Set.of(id), infrastructureIds(events), "one infrastructure incident: " + events);
          events.forEach(e -> assertEquals(routingKey, e.path("routing_key").asText()));
          try (Storage storage = Storage.open(storageConfigOf(compose, hosts), clock())) {
            List<Incident> all = infrastructureIncidents(storage);
            assertEquals(1, all.size(), "infrastructure incidents stored: " + all);
            assertEquals(id, all.get(0).id());
            assertEquals(Incident.Status.RESOLVED, all.get(0).status());
            awaitWindowsStored(storage, records, Duration.ofMinutes(1));
          }
          timings.mark("checked");
        }
      }
    } finally {
      System.out.println("ComposeDeploymentIT phases: " + timings);
    }
  }

  /** Elapsed time per phase, for the log (the README quotes it). */
  private static final class Timings {
    private final long start = System.nanoTime();
    private long last = start;
    private final StringBuilder out = new StringBuilder();

    void mark(String phase) {
      long now = System.nanoTime();
      out.append(String.format(java.util.Locale.ROOT, "%s %.0fs; ", phase, (now - last) / 1e9));
      last = now;
    }

    @Override
    public String toString() {
      return out + String.format(java.util.Locale.ROOT, "total %.0fs", (last - start) / 1e9);
    }
  }

  /**
   * A process started on its own thread; closing waits for it and stops it, so that nothing started
   * outlives the test, even when another start failed first.
   */
  private static final class Starting<T extends AutoCloseable> implements AutoCloseable {
    private final java.util.concurrent.CompletableFuture<T> future;

    private Starting(java.util.concurrent.CompletableFuture<T> future) {
      this.future = future;
    }

    static <T extends AutoCloseable> Starting<T> in(java.util.concurrent.Callable<T> start) {
      return new Starting<>(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return start.call();
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              },
              r -> {
                Thread t = new Thread(r, "starting");
                t.setDaemon(true);
                t.start();
              }));
    }

    T get() throws Exception {
      try {
        return future.get(START.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }

    @Override
    public void close() throws Exception {
      T started;
      try {
        started = future.get(START.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        return; // it never started
      }
      started.close();
    }
  }

  /** The {@code jobmanager} service of compose.yaml, on a standalone cluster. */
  private static final class JobManager {
    private final Path home;
    private final JsonNode service = DeployFiles.compose().path("services").path("jobmanager");
    private final Map<String, String> flinkConf = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    JobManager(Map<String, String> dotEnv, Path home) {
      this.home = home;
      Map<String, String> declared = ComposeServices.environment("jobmanager", dotEnv);
      @SuppressWarnings("unchecked")
      Map<String, Object> properties =
          new org.yaml.snakeyaml.Yaml().load(declared.remove("FLINK_PROPERTIES"));
      // the flink-data volume: a directory of this cluster's home
      String volume = "file://" + flinkDataVolume();
      String local = home.resolve("flink-data").toUri().toString().replaceAll("/$", "");
      properties.forEach(
          (k, v) -> {
            if (!FLINK_KEYS_NOT_TAKEN.containsKey(k) && !k.startsWith(HA_PREFIX)) {
              flinkConf.put(k, String.valueOf(v).replace(volume, local));
            }
          });
      env.putAll(declared);
    }

    /** The JobManager's command, service names mapped to this machine's ports. */
    private List<String> command(ComposeServices compose) {
      List<String> command = new ArrayList<>();
      service.path("command").forEach(a -> command.add(compose.local(a.asText(), service)));
      assertEquals("standalone-job", command.get(0), "application mode");
      assertEquals("--job-classname", command.get(1));
      return command;
    }

    /** Where the {@code flink-data} volume is mounted in the Flink containers. */
    private String flinkDataVolume() {
      for (JsonNode v : service.path("volumes")) {
        String[] parts = v.asText().split(":");
        if (parts[0].equals("flink-data")) {
          return parts[1];
        }
      }
      throw new AssertionError("no flink-data volume on the jobmanager");
    }

    StandaloneFlinkCluster startCluster() throws Exception {
      int slots = Integer.parseInt(flinkConf.get("taskmanager.numberOfTaskSlots"));
      return StandaloneFlinkCluster.start(
          home,
          StandaloneFlinkCluster.readClasspath(
              Path.of(System.getProperty("faultline.flink.classpath"))),
          slots,
          START,
          flinkConf,
          env);
    }

    /**
     * Uploads the job jar and runs it as the JobManager's command does (entry class and arguments
     * from it), from {@code savepoint} when not null.
     */
    String submit(StandaloneFlinkCluster cluster, ComposeServices compose, String savepoint)
        throws Exception {
      List<String> command = command(compose);
      List<String> args = command.subList(3, command.size());
      Path jar = Path.of(System.getProperty("faultline.job.jar"));
      String jarId = cluster.rest().uploadJar(jar);
      int parallelism = Integer.parseInt(args.get(args.indexOf("--parallelism") + 1));
      return cluster.rest().runJar(jarId, command.get(2), args, parallelism, savepoint);
    }

    String savepointDir() {
      return flinkConf.get("execution.checkpointing.savepoint-dir");
    }

    String groupId(ComposeServices compose) {
      List<String> args = command(compose);
      int i = args.indexOf("--group-id");
      return i < 0 ? "faultline-correlation" : args.get(i + 1);
    }
  }

  private static String latestSavepoint(JobManager jm) throws Exception {
    Path dir = Path.of(URI.create(jm.savepointDir()));
    try (var s = Files.list(dir)) {
      List<Path> all = s.filter(p -> p.getFileName().toString().startsWith("savepoint-")).toList();
      assertEquals(1, all.size(), "savepoints: " + all);
      return all.get(0).toUri().toString();
    }
  }

  /** Pushes the records {@code which} selects into ingest, as a collector would: NDJSON, bearer. */
  private static void push(
      ComposeServices compose, List<Telemetry> records, Predicate<Telemetry> which)
      throws Exception {
    JsonNode ingest = DeployFiles.compose().path("services").path("ingest");
    String token = compose.environment("ingest").get("FAULTLINE_INGEST_TOKEN");
    String port = ingest.path("ports").get(0).asText().split(":")[2];
    URI uri = URI.create("http://127.0.0.1:" + port + "/v1/telemetry");
    HttpClient http = HttpClient.newHttpClient();
    List<Telemetry> selected = records.stream().filter(which).toList();
    for (int from = 0; from < selected.size(); from += PUSH_BATCH) {
      StringBuilder body = new StringBuilder();
      for (Telemetry t : selected.subList(from, Math.min(selected.size(), from + PUSH_BATCH))) {
        body.append(TelemetryCodec.encode(t)).append('\n');
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), "ingest answered " + r.body());
    }
  }

  private static void routeEverythingToPagerDuty(StorageConfig config, String url) {
    try (Storage storage = Storage.open(config, clock())) {
      Instant now = Instant.now();
      storage
          .routes()
          .save(
              new Receiver(
                  "pager",
                  Receiver.Type.PAGERDUTY,
                  url,
                  // the notifier's environment in compose.yaml holds the routing key under this
                  // name
                  "FAULTLINE_SECRET_PAGERDUTY_ROUTING_KEY",
                  now));
      storage
          .routes()
          .save(
              new Route(
                  "everything",
                  0,
                  "pager",
                  Set.of(),
                  Incident.Severity.MINOR,
                  Set.of(),
                  Set.of(),
                  true,
                  now));
    }
  }

  /** Waits until the storage writer has stored one row per model window pushed, and checks it. */
  private static void awaitWindowsStored(Storage storage, List<Telemetry> pushed, Duration timeout)
      throws Exception {
    long expected =
        pushed.stream()
            .filter(r -> r instanceof dev.faultline.contract.ModelWindow)
            .map(r -> (dev.faultline.contract.ModelWindow) r)
            .map(w -> w.model() + "|" + w.deployment() + "|" + w.source() + "|" + w.ts())
            .distinct()
            .count();
    long deadline = System.nanoTime() + timeout.toNanos();
    long rows;
    do {
      try (java.sql.Connection c = storage.dataSource().getConnection();
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM model_window")) {
        rs.next();
        rows = rs.getLong(1);
      }
      if (rows == expected) {
        return;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertEquals(expected, rows, "model_window rows stored by the storage writer");
  }

  private static Incident storedIncident(StorageConfig config, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Storage storage = Storage.open(config, clock())) {
      while (true) {
        List<Incident> all = infrastructureIncidents(storage);
        if (!all.isEmpty() || System.nanoTime() > deadline) {
          assertEquals(1, all.size(), "infrastructure incidents stored: " + all);
          assertEquals(id, all.get(0).id(), "the paged incident is the stored one");
          return all.get(0);
        }
        Thread.sleep(500);
      }
    }
  }

  /** The database as Compose's services reach it (the UI's environment). */
  private static StorageConfig storageConfigOf(ComposeServices compose, Map<String, String> hosts) {
    Map<String, String> env = compose.environment("ui");
    String url = env.get("FAULTLINE_JDBC_URL");
    for (Map.Entry<String, String> h : hosts.entrySet()) {
      url = url.replace(h.getKey(), h.getValue());
    }
    return StorageConfig.of(
        url, env.get("FAULTLINE_JDBC_USER"), env.get("FAULTLINE_JDBC_PASSWORD"));
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }

  private static List<Incident> infrastructureIncidents(Storage storage) {
    return storage.incidents().find(IncidentQuery.recent()).stream()
        .filter(i -> i.scope() == Incident.Scope.INFRASTRUCTURE)
        .toList();
  }

  /**
   * The ids of the infrastructure incidents paged: what the seed outage is about. Other pages (say
   * a model's lost telemetry, which depends on the simulated fleet) are not this test's concern.
   */
  private static Set<String> infrastructureIds(List<JsonNode> events) {
    return events.stream()
        .filter(e -> e.path("payload").path("class").asText().equals(INFRASTRUCTURE))
        .map(e -> e.path("dedup_key").asText())
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The actions of every page about an infrastructure incident, in order. */
  private static List<String> infrastructurePages(List<JsonNode> events) {
    Set<String> ids = infrastructureIds(events);
    return events.stream()
        .filter(e -> ids.contains(e.path("dedup_key").asText()))
        .map(e -> e.path("event_action").asText())
        .toList();
  }

  /** The consumer group's committed offsets reach the end of every telemetry partition. */
  private static void awaitCommittedToTheEnd(String bootstrap, String group, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < Topics.TELEMETRY.partitions(); i++) {
        latest.put(new TopicPartition(Topics.TELEMETRY.name(), i), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> end = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, o) -> end.put(tp, o.offset()));
      Map<TopicPartition, Long> committed = new HashMap<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        committed.clear();
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get()
            .forEach((tp, o) -> committed.put(tp, o == null ? -1 : o.offset()));
        if (end.keySet().stream().allMatch(tp -> committed.getOrDefault(tp, -1L) >= end.get(tp))) {
          return;
        }
        Thread.sleep(250);
      }
      throw new AssertionError("job committed " + committed + ", topic ends at " + end);
    }
  }

  /** The UI signed in as an operator would: with the password the UI generated on first start. */
  private static UiSession signedInUi(ComposeServices.Service ui) throws Exception {
    JsonNode service = DeployFiles.compose().path("services").path("ui");
    String port = service.path("ports").get(0).asText().split(":")[2];
    Path passwords = ui.workDir().resolve(".faultline/initial-passwords.txt");
    String password = null;
    for (String line : Files.readAllLines(passwords)) {
      if (line.startsWith("sre ")) {
        password = line.substring("sre ".length()).trim();
      }
    }
    assertTrue(password != null, "the UI wrote the sre user's password to " + passwords);
    return UiSession.signIn(URI.create("http://127.0.0.1:" + port), "sre", password);
  }

  /** An HTTP session of the web UI: Spring Security's form login, then cookie-bearing requests. */
  private record UiSession(URI base, HttpClient http) {
    private static final Pattern CSRF =
        Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    static UiSession signIn(URI base, String user, String password) throws Exception {
      HttpClient http =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(base.resolve("/login")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode(), "login page");
      StringBuilder form =
          new StringBuilder()
              .append("username=")
              .append(URLEncoder.encode(user, StandardCharsets.UTF_8))
              .append("&password=")
              .append(URLEncoder.encode(password, StandardCharsets.UTF_8));
      Matcher csrf = CSRF.matcher(page.body());
      if (csrf.find()) {
        form.append("&_csrf=").append(URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8));
      }
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(base.resolve("/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String location = login.headers().firstValue("Location").orElse("");
      assertTrue(
          login.statusCode() == 302 && !location.contains("error"),
          "sign-in answered " + login.statusCode() + " to " + location + ": " + login.body());
      return new UiSession(base, http);
    }

    String get(String path) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path + " answered " + r.statusCode() + ": " + r.body());
      return r.body();
    }
  }
}
