package dev.faultline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster from Flink's Maven artifacts: a JobManager and a TaskManager,
 * each its own JVM, started the way Flink's {@code bin/} scripts start them (the TaskManager's
 * memory flags computed by {@code BashJavaUtils}), on loopback only. Closing kills both processes.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

  /**
   * What Flink's distribution passes to every JVM ({@code env.java.opts.all} in its config.yaml):
   * without java.util open, {@code /jars/:id/run} fails with InaccessibleObjectException.
   */
  static final List<String> OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final Path home;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final FlinkRest rest;
  // a test JVM told to stop takes the cluster with it
  private final Thread hook = new Thread(() -> processes.forEach(Process::destroyForcibly));

  private final String classpath;
  private final Map<String, String> confOverrides;
  private final Map<String, String> jobManagerEnv;

  private StandaloneFlinkCluster(
      Path home,
      int restPort,
      String classpath,
      Map<String, String> confOverrides,
      Map<String, String> jobManagerEnv) {
    this.home = home;
    this.classpath = classpath;
    this.restPort = restPort;
    this.confOverrides = confOverrides;
    this.jobManagerEnv = jobManagerEnv;
    Runtime.getRuntime().addShutdownHook(hook);
    this.rest = new FlinkRest(URI.create("http://127.0.0.1:" + restPort));
  }

  /**
   * Writes {@code conf/} under {@code home}, starts both processes and waits until the TaskManager
   * has registered its slots.
   */
  static StandaloneFlinkCluster start(Path home, String classpath, int slots, Duration timeout)
      throws IOException, InterruptedException {
    return start(home, classpath, slots, timeout, Map.of(), Map.of());
  }

  /**
   * As {@link #start(Path, String, int, Duration)}, with {@code confOverrides} laid over the
   * written {@code config.yaml} (a deployment's own Flink configuration) and {@code jobManagerEnv}
   * added to the JobManager's environment (where {@code /jars/<id>/run} runs the job's main).
   */
  static StandaloneFlinkCluster start(
      Path home,
      String classpath,
      int slots,
      Duration timeout,
      Map<String, String> confOverrides,
      Map<String, String> jobManagerEnv)
      throws IOException, InterruptedException {
    StandaloneFlinkCluster cluster =
        new StandaloneFlinkCluster(home, FreePorts.pick(), classpath, confOverrides, jobManagerEnv);
    try {
      cluster.writeConf(slots);
      cluster.startJobManager();
      cluster.startTaskManager();
      cluster.awaitSlots(slots, timeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  FlinkRest rest() {
    return rest;
  }

  int restPort() {
    return restPort;
  }

  Path home() {
    return home;
  }

  private void writeConf(int slots) throws IOException {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.createDirectories(home.resolve("log"));
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("jobmanager.rpc.address", "localhost");
    keys.put("jobmanager.rpc.port", Integer.toString(FreePorts.pick()));
    keys.put("jobmanager.bind-host", "localhost");
    keys.put("jobmanager.memory.process.size", "640m");
    keys.put("taskmanager.host", "localhost");
    keys.put("taskmanager.bind-host", "localhost");
    keys.put("taskmanager.rpc.port", Integer.toString(FreePorts.pick()));
    keys.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
    keys.put("taskmanager.memory.process.size", "1024m");
    keys.put("taskmanager.memory.managed.size", "64m");
    keys.put("taskmanager.memory.network.min", "32m");
    keys.put("taskmanager.memory.network.max", "32m");
    keys.put("blob.server.port", Integer.toString(FreePorts.pick()));
    keys.put("rest.address", "127.0.0.1");
    keys.put("rest.bind-address", "127.0.0.1");
    keys.put("rest.port", Integer.toString(restPort));
    keys.put("parallelism.default", "1");
    keys.put("web.upload.dir", Files.createDirectories(home.resolve("uploads")).toString());
    keys.put("io.tmp.dirs", Files.createDirectories(home.resolve("tmp")).toString());
    keys.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
    keys.put(
        "execution.checkpointing.savepoint-dir", home.resolve("savepoints").toUri().toString());
    keys.put("state.backend.type", "hashmap");
    keys.put("metrics.internal.query-service.port", "0");
    // the default (10 s) is too short for an actor system while other builds load the 2 cores
    keys.put("pekko.startup-timeout", "60 s");
    // the REST API serves metrics this fresh; the default (10 s) is too coarse to measure
    keys.put("metrics.fetcher.update-interval", "500");
    keys.putAll(confOverrides);
    StringBuilder yaml =
        new StringBuilder(
            "# Written by StandaloneFlinkCluster: one JobManager and one TaskManager on loopback.\n");
    keys.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(conf.resolve("config.yaml"), yaml);
    try (var in = StandaloneFlinkCluster.class.getResourceAsStream("/flink/logback.xml")) {
      Files.write(conf.resolve("logback.xml"), in.readAllBytes());
    }
  }

  private List<String> java(String name, List<String> jvmFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(OPENS);
    cmd.add("-Dlog.file=" + home.resolve("log").resolve(name + ".log"));
    cmd.add("-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"));
    cmd.add("-cp");
    cmd.add(classpath);
    return cmd;
  }

  private void startJobManager() throws IOException, InterruptedException {
    List<String> cmd = java("jobmanager", memoryFlags("GET_JM_RESOURCE_PARAMS").get(0));
    cmd.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    cmd.addAll(List.of("--configDir", home.resolve("conf").toString()));
    processes.add(launch(cmd, "jobmanager", jobManagerEnv));
  }

  private void startTaskManager() throws IOException, InterruptedException {
    List<List<String>> params = memoryFlags("GET_TM_RESOURCE_PARAMS");
    List<String> cmd = java("taskmanager", params.get(0));
    cmd.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    cmd.addAll(List.of("--configDir", home.resolve("conf").toString()));
    cmd.addAll(params.get(1));
    processes.add(launch(cmd, "taskmanager", Map.of()));
  }

  /**
   * Runs {@code BashJavaUtils} as {@code bin/config.sh} does: the two result lines are the JVM
   * memory flags and the {@code -D key=value} dynamic properties derived from config.yaml.
   */
  private List<List<String>> memoryFlags(String command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx128m", "-cp", classpath));
    cmd.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
    cmd.addAll(List.of(command, "--configDir", home.resolve("conf").toString()));
    Path out = home.resolve("log").resolve(command + ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + Files.readString(out));
    }
    List<List<String>> results = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith(EXEC_RESULT)) {
        String value = line.substring(EXEC_RESULT.length()).strip();
        results.add(value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+")));
      }
    }
    if (results.isEmpty()) {
      throw new IllegalStateException(command + " printed no result: " + Files.readString(out));
    }
    return results;
  }

  private Process launch(List<String> cmd, String name, Map<String, String> env)
      throws IOException {
    Path out = home.resolve("log").resolve(name + ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return pb.directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
  }

  private void awaitSlots(int slots, Duration timeout) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a Flink process exited with " + p.exitValue() + "; see " + home.resolve("log"));
        }
      }
      try {
        JsonNode overview = rest.get("/overview");
        last = overview.toString();
        if (overview.path("slots-total").asInt() >= slots) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Flink cluster not ready after " + timeout + " (" + last + "); see " + home.resolve("log"));
  }

  /** Last lines of a process's log, for failure messages. */
  String tail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(home.resolve("log").resolve(name + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + name + " log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
      // shutting down (the hook runs anyway), or closed before
    }
    // TaskManager first, so the JobManager does not spend the shutdown restarting its job.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static String readClasspath(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "no Flink cluster classpath at " + file + ": run the module's build (mvn verify)", e);
    }
  }
}
