package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.deploy.DeployFiles.Manifest;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faultline's services as Compose runs them, without Docker: each of ingest, notifier and UI is its
 * own OS process, started with the image's entry point ({@code docker/Dockerfile}) and the command
 * and environment {@code compose.yaml} gives it (read from the file, so the two cannot drift),
 * service names mapped to the local Kafka broker and PostgreSQL; then every health check Compose
 * declares and every probe Kubernetes declares must answer 200 on its declared port.
 */
class ComposeServicesIT {

  private static final List<String> SERVICES = List.of("ingest", "notifier", "ui");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");
  private static final Pattern COMPOSE_PROBE =
      Pattern.compile("http://localhost:(\\d+)(/[A-Za-z0-9/_-]*)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();

  ComposeServicesIT() {
    // a test JVM told to stop takes its services with it
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroy)));
  }

  @AfterEach
  void stop() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void everyDeclaredProbeAnswersOnItsDeclaredPort() throws Exception {
    EmbeddedKafka kafka = SharedServices.kafka();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      Map<String, String> dotEnv = dotEnv();
      createComposeDatabaseUser(pg, dotEnv.get("FAULTLINE_DB_PASSWORD"));
      Map<String, String> hosts =
          Map.of(
              "kafka:9092", kafka.bootstrapServers(), "timescaledb:5432", "127.0.0.1:" + pg.port());
      Path logs = DeployFiles.moduleDir().resolve("target/compose-services");
      Files.createDirectories(logs);
      // one after the other, as depends_on orders them; a service that exits is started again,
      // as its restart policy (unless-stopped) has Compose do
      for (String svc : SERVICES) {
        assertEquals(
            "unless-stopped",
            DeployFiles.compose().path("services").path(svc).path("restart").asText());
        Service service = new Service(svc, dotEnv, hosts, logs);
        for (URI probe : declaredProbes(svc)) {
          service.awaitOk(probe, Duration.ofMinutes(3));
        }
      }
    }
  }

  /** The URLs Compose's health check and Kubernetes' probes of {@code svc} ask, on this host. */
  static List<URI> declaredProbes(String svc) {
    List<URI> out = new ArrayList<>();
    JsonNode services = DeployFiles.compose().path("services");
    String test = services.path(svc).path("healthcheck").path("test").toString();
    Matcher m = COMPOSE_PROBE.matcher(test);
    assertTrue(m.find(), svc + ": no HTTP health check in " + test);
    out.add(URI.create("http://127.0.0.1:" + m.group(1) + m.group(2)));
    Manifest deployment =
        DeployFiles.ofKind("Deployment")
            .filter(d -> d.name().equals("faultline-" + svc))
            .findFirst()
            .orElseThrow();
    for (JsonNode c : DeployFiles.containers(deployment)) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      c.path("ports")
          .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
      for (String probe : List.of("livenessProbe", "readinessProbe")) {
        JsonNode get = c.path(probe).path("httpGet");
        String port = get.path("port").asText();
        int number = ports.containsKey(port) ? ports.get(port) : Integer.parseInt(port);
        out.add(URI.create("http://127.0.0.1:" + number + get.path("path").asText()));
      }
    }
    return out;
  }

  /** One service's process, started again when it exits (Compose's restart policy). */
  private final class Service {
    private final String name;
    private final Map<String, String> dotEnv;
    private final Map<String, String> hosts;
    private final Path logs;
    private Process process;
    private int starts;

    Service(String name, Map<String, String> dotEnv, Map<String, String> hosts, Path logs)
        throws IOException {
      this.name = name;
      this.dotEnv = dotEnv;
      this.hosts = hosts;
      this.logs = logs;
      restartIfExited();
    }

    void restartIfExited() throws IOException {
      if (process == null || !process.isAlive()) {
        assertTrue(starts < 5, name + " exited " + starts + " times; see " + log());
        starts++;
        process = start(name, dotEnv, hosts, log());
        processes.add(process);
      }
    }

    Path log() {
      return logs.resolve(name + "-" + starts + ".log");
    }

    void awaitOk(URI uri, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      String last = "no answer";
      while (System.nanoTime() < deadline) {
        restartIfExited();
        try {
          HttpResponse<String> r =
              HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
          last = r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(500);
      }
      String tail = Files.exists(log()) ? tail(Files.readAllLines(log())) : "(no log)";
      throw new AssertionError(
          name + ": " + uri + " did not answer 200 within " + timeout + ": " + last + "\n" + tail);
    }
  }

  private static Process start(
      String svc, Map<String, String> dotEnv, Map<String, String> hosts, Path log)
      throws IOException {
    JsonNode service = DeployFiles.compose().path("services").path(svc);
    List<String> command = new ArrayList<>(entryPoint());
    for (JsonNode arg : service.path("command")) {
      command.add(local(arg.asText(), service, hosts));
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("FAULTLINE_"));
    env.putAll(imageEnvironment());
    service
        .path("environment")
        .fields()
        .forEachRemaining(
            e ->
                env.put(
                    e.getKey(), local(interpolate(e.getValue().asText(), dotEnv), service, hosts)));
    Path dataDir = Files.createTempDirectory("faultline-" + svc);
    env.put("FAULTLINE_DATA_DIR", dataDir.toString());
    pb.directory(dataDir.toFile());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  /** The image's entry point, its class path made of this build's launcher class path. */
  private static List<String> entryPoint() throws IOException {
    String dockerfile = Files.readString(DeployFiles.moduleDir().resolve("docker/Dockerfile"));
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
    assertTrue(m.find(), "Dockerfile ENTRYPOINT");
    List<String> out = new ArrayList<>();
    new ObjectMapper().readTree(m.group(1)).forEach(n -> out.add(n.asText()));
    assertEquals("java", out.get(0));
    out.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path launcher = DeployFiles.repoRoot().resolve("launcher/target");
    String classpath =
        launcher.resolve("classes")
            + java.io.File.pathSeparator
            + Files.readString(launcher.resolve("classpath.txt")).trim();
    out.set(out.indexOf("/app/lib/*"), classpath);
    return out;
  }

  /** The image's {@code ENV} lines. */
  private static Map<String, String> imageEnvironment() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DeployFiles.moduleDir().resolve("docker/Dockerfile"))) {
      if (line.startsWith("ENV ")) {
        String[] kv = line.substring(4).trim().split("=", 2);
        out.put(kv[0], kv[1]);
      }
    }
    assertTrue(out.containsKey("FAULTLINE_BIND"), "the image says where services listen");
    return out;
  }

  /** A value with service host names mapped to local ports and mounted files to the repository. */
  private static String local(String value, JsonNode service, Map<String, String> hosts) {
    String out = value;
    for (Map.Entry<String, String> h : hosts.entrySet()) {
      out = out.replace(h.getKey(), h.getValue());
    }
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[0].startsWith(".") && out.equals(parts[1])) {
        out = DeployFiles.moduleDir().resolve("compose").resolve(parts[0]).normalize().toString();
      }
    }
    return out;
  }

  /** {@code ${NAME:?message}} and {@code ${NAME:-default}} as Compose resolves them. */
  private static String interpolate(String value, Map<String, String> dotEnv) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = dotEnv.get(m.group(1));
      String spec = m.group(2) == null ? "" : m.group(2);
      if ((v == null || v.isEmpty()) && spec.startsWith(":-")) {
        v = spec.substring(2);
      }
      assertTrue(v != null, "Compose needs " + m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** What an operator writes into {@code .env}: a value for every variable it lists. */
  private static Map<String, String> dotEnv() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(DeployFiles.moduleDir().resolve("compose/.env.example"))) {
      if (!line.startsWith("#") && line.contains("=")) {
        String name = line.substring(0, line.indexOf('='));
        out.put(
            name, name.endsWith("_URL") || name.endsWith("_KEY") ? "" : "it-" + name.toLowerCase());
      }
    }
    return out;
  }

  /**
   * The database user Compose's TimescaleDB creates ({@code POSTGRES_USER}, owner of the database).
   */
  private static void createComposeDatabaseUser(EmbeddedPostgres pg, String password)
      throws Exception {
    JsonNode db = DeployFiles.compose().path("services").path("timescaledb").path("environment");
    String user = db.path("POSTGRES_USER").asText();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      s.execute("ALTER DATABASE " + db.path("POSTGRES_DB").asText() + " OWNER TO " + user);
    }
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
