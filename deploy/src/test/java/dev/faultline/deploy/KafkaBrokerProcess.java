package dev.faultline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Compose's {@code kafka} service as its own JVM: Apache Kafka's {@code kafka.Kafka} from this
 * build's Kafka artifacts, configured from the {@code KAFKA_*} environment {@code compose.yaml}
 * gives the service, turned into {@code server.properties} the way the {@code apache/kafka} image
 * does ({@code KAFKA_} dropped, {@code ___} to {@code -}, {@code __} to {@code _}, {@code _} to
 * {@code .}, lower case), its storage formatted with {@code CLUSTER_ID} as the image does first.
 * The ports the file declares (9092, 9093, 9094) are mapped to free ports on 127.0.0.1, and the
 * host {@code kafka} to 127.0.0.1; the log directory to a temporary one. Closing stops the process.
 */
final class KafkaBrokerProcess implements AutoCloseable {

  private static final Pattern ADDRESS =
      Pattern.compile("(//|@)(kafka|localhost|127\\.0\\.0\\.1)?:(\\d+)");

  private final Path home;
  private final Map<Integer, Integer> ports;
  private final Process process;
  private final Thread hook;

  private KafkaBrokerProcess(Path home, Map<Integer, Integer> ports, Process process) {
    this.home = home;
    this.ports = ports;
    this.process = process;
    // a test JVM told to stop takes the broker with it
    this.hook = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Formats the storage, starts the broker and waits until it answers clients. */
  static KafkaBrokerProcess start(Map<String, String> dotEnv, Path home, Duration timeout)
      throws Exception {
    JsonNode kafka = DeployFiles.compose().path("services").path("kafka");
    Map<String, String> env = new LinkedHashMap<>();
    kafka
        .path("environment")
        .fields()
        .forEachRemaining(
            e -> env.put(e.getKey(), ComposeServices.interpolate(e.getValue().asText(), dotEnv)));
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    Matcher declared = ADDRESS.matcher(env.get("KAFKA_LISTENERS"));
    while (declared.find()) {
      ports.put(Integer.parseInt(declared.group(3)), FreePorts.pick());
    }
    Files.createDirectories(home);
    Path logDir = Files.createDirectories(home.resolve("data"));
    Path config = home.resolve("server.properties");
    Files.writeString(config, serverProperties(env, ports, logDir));

    String classpath = ComposeServices.launcherClasspath();
    run(
        home,
        "format",
        classpath,
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            env.get("CLUSTER_ID"),
            "--config",
            config.toString(),
            "--ignore-formatted"));
    Process broker = java(home, "broker", classpath, "kafka.Kafka", config.toString()).start();
    KafkaBrokerProcess out = new KafkaBrokerProcess(home, ports, broker);
    try {
      out.awaitReady(timeout);
      return out;
    } catch (Exception | AssertionError e) {
      out.close();
      throw e;
    }
  }

  /** The {@code server.properties} the image writes from the service's environment. */
  static String serverProperties(Map<String, String> env, Map<Integer, Integer> ports, Path logs) {
    StringBuilder out = new StringBuilder("# from compose.yaml's kafka environment\n");
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_")) {
            String key =
                name.substring("KAFKA_".length())
                    .replace("___", "-")
                    .replace("__", "\u0000")
                    .replace('_', '.')
                    .replace('\u0000', '_')
                    .toLowerCase(Locale.ROOT);
            String v = key.equals("log.dirs") ? logs.toString() : local(value, ports);
            out.append(key).append('=').append(v).append('\n');
          }
        });
    return out.toString();
  }

  /** {@code kafka:9092}, {@code :9093} and the like, to 127.0.0.1 and the mapped port. */
  private static String local(String value, Map<Integer, Integer> ports) {
    Matcher m = ADDRESS.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Integer port = ports.get(Integer.parseInt(m.group(3)));
      String replacement = port == null ? m.group() : m.group(1) + "127.0.0.1:" + port;
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@code host:port} as Compose's other services name this broker (its inter-broker listener), to
   * the local address: for {@link ComposeServices}.
   */
  Map<String, String> hostMapping() {
    return Map.of("kafka:9092", bootstrapServers());
  }

  /** What Compose's services reach as {@code kafka:9092}. */
  String bootstrapServers() {
    return "127.0.0.1:" + ports.get(9092);
  }

  /** The broker's JVM, for tests that must not outlive it. */
  Process process() {
    return process;
  }

  private static ProcessBuilder java(
      Path home, String name, String classpath, String main, String config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xms256m", "-Xmx512m", "-cp", classpath, main, config));
    return new ProcessBuilder(cmd)
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
  }

  private static void run(Path home, String name, String classpath, List<String> mainAndArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx256m", "-cp", classpath));
    cmd.addAll(mainAndArgs);
    Path log = home.resolve(name + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " failed: " + Files.readString(log));
    }
  }

  /**
   * Compose's health check asks the broker for its API versions on the internal listener; an admin
   * client describing the cluster there is the same question.
   */
  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited with " + process.exitValue() + ": " + tail());
      }
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000))) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("the Kafka broker did not answer: " + last + "\n" + tail());
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(home.resolve("broker.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
