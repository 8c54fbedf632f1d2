package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.deploy.DeployFiles.Manifest;
import dev.faultline.embedded.EmbeddedPostgres;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faultline's services as Compose runs them, without Docker: each of ingest, storage writer,
 * notifier and UI is its own OS process, started with the image's entry point ({@code
 * docker/Dockerfile}) and the command and environment {@code compose.yaml} gives it (read from the
 * file, so the two cannot drift), the service names Compose resolves ({@code kafka:9092}, {@code
 * timescaledb:5432}) mapped to local ports. Closing stops every process started.
 */
final class ComposeServices implements AutoCloseable {

  /** Faultline's own services in {@code compose.yaml}, in the order depends_on allows. */
  static final List<String> FAULTLINE = List.of("ingest", "storage-writer", "notifier", "ui");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");
  private static final Pattern COMPOSE_PROBE =
      Pattern.compile("http://localhost:(\\d+)(/[A-Za-z0-9/_-]*)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Map<String, String> dotEnv;
  private final Map<String, String> hosts;
  private final Path logs;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::destroyAll);

  /**
   * @param dotEnv the values of {@code .env} (see {@link #dotEnv()})
   * @param hosts {@code host:port} as Compose names it, to what this machine listens on
   * @param logs where each process's output goes
   */
  ComposeServices(Map<String, String> dotEnv, Map<String, String> hosts, Path logs)
      throws IOException {
    this.dotEnv = dotEnv;
    this.hosts = hosts;
    this.logs = Files.createDirectories(logs);
    // a test JVM told to stop takes its services with it
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code svc} with the command and environment Compose gives it, plus {@code extraEnv}
   * (what the test adds, e.g. a receiver's loopback address the notifier may call).
   */
  Service start(String svc, Map<String, String> extraEnv) throws IOException {
    assertEquals(
        "unless-stopped",
        DeployFiles.compose().path("services").path(svc).path("restart").asText(),
        svc + " restart policy");
    return new Service(svc, extraEnv, Files.createTempDirectory("faultline-" + svc));
  }

  /** One service's process, started again when it exits (Compose's restart policy). */
  final class Service {
    private final String name;
    private final Map<String, String> extraEnv;
    private final Path workDir;
    private Process process;
    private int starts;

    private Service(String name, Map<String, String> extraEnv, Path workDir) throws IOException {
      this.name = name;
      this.extraEnv = extraEnv;
      this.workDir = workDir;
      restartIfExited();
    }

    /** The process's working and data directory (the container's, in Compose). */
    Path workDir() {
      return workDir;
    }

    void restartIfExited() throws IOException {
      if (process == null || !process.isAlive()) {
        assertTrue(starts < 5, name + " exited " + starts + " times; see " + log());
        starts++;
        process = launch(name, extraEnv, workDir, log());
        processes.add(process);
      }
    }

    Path log() {
      return logs.resolve(name + "-" + starts + ".log");
    }

    /** Waits until {@code uri} answers 200, restarting the process when it exits. */
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
      throw new AssertionError(
          name
              + ": "
              + uri
              + " did not answer 200 within "
              + timeout
              + ": "
              + last
              + "\n"
              + tail());
    }

    String tail() {
      try {
        List<String> lines = Files.readAllLines(log());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  private Process launch(String svc, Map<String, String> extraEnv, Path workDir, Path log)
      throws IOException {
    JsonNode service = DeployFiles.compose().path("services").path(svc);
    List<String> command = new ArrayList<>(entryPoint());
    for (JsonNode arg : service.path("command")) {
      command.add(local(arg.asText(), service));
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("FAULTLINE_"));
    env.putAll(imageEnvironment());
    environment(svc).forEach((k, v) -> env.put(k, local(v, service)));
    env.putAll(extraEnv);
    env.put("FAULTLINE_DATA_DIR", workDir.toString());
    pb.directory(workDir.toFile());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  /** The environment Compose gives {@code svc}, {@code ${...}} resolved from {@code .env}. */
  Map<String, String> environment(String svc) {
    return environment(svc, dotEnv);
  }

  /** The environment Compose gives {@code svc}, {@code ${...}} resolved from {@code dotEnv}. */
  static Map<String, String> environment(String svc, Map<String, String> dotEnv) {
    Map<String, String> out = new LinkedHashMap<>();
    DeployFiles.compose()
        .path("services")
        .path(svc)
        .path("environment")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), interpolate(e.getValue().asText(), dotEnv)));
    return out;
  }

  /** A value with service host names mapped to local ports and mounted files to the repository. */
  String local(String value, JsonNode service) {
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

  /** The image's entry point, its class path made of this build's launcher class path. */
  private static List<String> entryPoint() throws IOException {
    String dockerfile = Files.readString(DeployFiles.moduleDir().resolve("docker/Dockerfile"));
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
    assertTrue(m.find(), "Dockerfile ENTRYPOINT");
    List<String> out = new ArrayList<>();
    new ObjectMapper().readTree(m.group(1)).forEach(n -> out.add(n.asText()));
    assertEquals("java", out.get(0));
    out.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    out.set(out.indexOf("/app/lib/*"), launcherClasspath());
    return out;
  }

  /**
   * This build's launcher class path (what the image copies to {@code /app/lib}): its classes and
   * the runtime dependencies its build lists in {@code launcher/target/classpath.txt}, or in the
   * file the system property {@code faultline.launcher.classpath} names (for a run against a
   * consistent set of installed jars while modules' {@code target/} directories are being rebuilt).
   */
  static String launcherClasspath() throws IOException {
    Path launcher = DeployFiles.repoRoot().resolve("launcher/target");
    String listed = System.getProperty("faultline.launcher.classpath", "");
    Path list = listed.isBlank() ? launcher.resolve("classpath.txt") : Path.of(listed);
    return launcher.resolve("classes") + java.io.File.pathSeparator + Files.readString(list).trim();
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

  /** {@code ${NAME:?message}} and {@code ${NAME:-default}} as Compose resolves them. */
  static String interpolate(String value, Map<String, String> dotEnv) {
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

  /**
   * What an operator writes into {@code .env}: a value for every variable it lists; receivers' URLs
   * and keys empty unless {@code overrides} sets them.
   */
  static Map<String, String> dotEnv(Map<String, String> overrides) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(DeployFiles.moduleDir().resolve("compose/.env.example"))) {
      if (!line.startsWith("#") && line.contains("=")) {
        String name = line.substring(0, line.indexOf('='));
        out.put(
            name, name.endsWith("_URL") || name.endsWith("_KEY") ? "" : "it-" + name.toLowerCase());
      }
    }
    overrides.forEach(
        (k, v) -> {
          assertTrue(out.containsKey(k), ".env.example lists " + k);
          out.put(k, v);
        });
    return out;
  }

  /**
   * The database user Compose's TimescaleDB creates ({@code POSTGRES_USER}, owner of the database).
   */
  static void createComposeDatabaseUser(EmbeddedPostgres pg, String password) throws Exception {
    JsonNode db = DeployFiles.compose().path("services").path("timescaledb").path("environment");
    String user = db.path("POSTGRES_USER").asText();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      s.execute("ALTER DATABASE " + db.path("POSTGRES_DB").asText() + " OWNER TO " + user);
    }
  }

  private void destroyAll() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }
}
