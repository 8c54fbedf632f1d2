package dev.faultline.bench;

import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench/run.sh [--quick] [--only ingest,correlation,scaling,fleet,latency,storage] [--runs
 * N] [--injections N] [--days N] [--sizes 10,100,1000,10000] [--backends rocksdb,hashmap]
 * [--no-big] [--no-live] [--no-scale] [--floors] [--checkpoint-ms 1000] [--out DIR]}: runs the
 * benchmarks against an embedded Kafka broker, local Flink MiniClusters and an embedded PostgreSQL
 * in this JVM, prints the table as Markdown and writes it to {@code DIR/benchmarks.json} (default
 * {@code bench/target}).
 */
public final class BenchMain {

  static final List<String> SECTIONS =
      List.of("ingest", "correlation", "scaling", "fleet", "latency", "storage");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    boolean quick = a.containsKey("quick");
    Set<String> only =
        a.containsKey("only") ? Set.of(a.get("only").split(",")) : Set.copyOf(SECTIONS);
    for (String s : only) {
      if (!SECTIONS.contains(s)) {
        throw new IllegalArgumentException("--only: unknown section " + s + ", one of " + SECTIONS);
      }
    }
    int runs = Integer.parseInt(a.getOrDefault("runs", quick ? "2" : "3"));
    int injections = Integer.parseInt(a.getOrDefault("injections", quick ? "2" : "5"));
    int days = Integer.parseInt(a.getOrDefault("days", quick ? "3" : "30"));
    Path out = Path.of(a.getOrDefault("out", "bench/target"));
    Files.createDirectories(out);

    ResultTable table = new ResultTable();
    machine(table);
    long t0 = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      if (only.contains("ingest")) {
        new IngestBench(bootstrap, quick ? 100_000 : 300_000, runs).run(table);
        progress(table);
      }
      long checkpointMs = Long.parseLong(a.getOrDefault("checkpoint-ms", "1000"));
      CorrelationBench correlation = new CorrelationBench(bootstrap, out, checkpointMs);
      if (only.contains("correlation")) {
        correlation.throughput(table, Duration.ofHours(quick ? 6 : 24), runs);
        progress(table);
      }
      if (only.contains("scaling")) {
        Map<Integer, Duration> sizes = new LinkedHashMap<>();
        sizes.put(10, Duration.ofHours(quick ? 1 : 3));
        sizes.put(100, Duration.ofMinutes(quick ? 20 : 60));
        sizes.put(1_000, Duration.ofMinutes(quick ? 5 : 10));
        sizes.put(10_000, Duration.ofMinutes(quick ? 1 : 2));
        if (a.containsKey("sizes")) {
          Set<Integer> wanted =
              Set.of(a.get("sizes").split(",")).stream()
                  .map(Integer::parseInt)
                  .collect(Collectors.toSet());
          sizes.keySet().retainAll(wanted);
        }
        correlation.scaling(table, sizes, 2, runs);
        progress(table);
      }
      if (only.contains("fleet")) {
        for (String backend :
            a.containsKey("no-scale")
                ? new String[0]
                : a.getOrDefault("backends", "rocksdb,hashmap").split(",")) {
          correlation
              .withStateBackend(backend)
              .fleetScale(
                  table,
                  runs,
                  Duration.ofMinutes(quick ? 1 : 2),
                  backend.equals("rocksdb") && !a.containsKey("no-big"),
                  a.containsKey("floors"));
          progress(table);
        }
        if (!a.containsKey("no-live")) {
          new LatencyBench(
                  bootstrap,
                  Clock.systemUTC(),
                  Duration.ofSeconds(60),
                  ScaledFleet.of(10_000),
                  "fleet latency (10,000 models)")
              .run(table, quick && !a.containsKey("injections") ? 1 : injections);
          progress(table);
        }
      }
      if (only.contains("latency")) {
        new LatencyBench(bootstrap, Clock.systemUTC(), Duration.ofSeconds(25))
            .run(table, injections);
        progress(table);
      }
    }
    if (only.contains("storage")) {
      try (EmbeddedPostgres pg = EmbeddedPostgres.start();
          Storage storage =
              Storage.open(
                  StorageConfig.of(pg.jdbcUrl(), pg.user(), pg.password())
                      .withTimescale(StorageConfig.TimescaleMode.OFF),
                  Clock.systemUTC())) {
        StorageBench bench = new StorageBench(storage);
        bench.sink(table, quick ? 30_000 : 100_000, runs);
        bench.incidentPage(table, days, quick ? 10 : 30);
      }
    }
    table.machine("took_s", Math.round((System.nanoTime() - t0) / 1e9));
    System.out.println();
    System.out.println(table.markdown());
    Path json = out.resolve("benchmarks.json");
    table.writeJson(json);
    System.out.println("written " + json);
  }

  private static void progress(ResultTable table) {
    System.out.println(table.markdown());
  }

  static void machine(ResultTable table) throws IOException {
    table.machine("nproc", Runtime.getRuntime().availableProcessors());
    table.machine("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    table.machine(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    table.machine("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    Path meminfo = Path.of("/proc/meminfo");
    if (Files.exists(meminfo)) {
      Files.readAllLines(meminfo).stream()
          .filter(l -> l.startsWith("MemTotal"))
          .findFirst()
          .ifPresent(l -> table.machine("memory", l.replaceAll("\\s+", " ")));
    }
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      Files.readAllLines(cpuinfo).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .ifPresent(l -> table.machine("cpu", l.substring(l.indexOf(':') + 1).trim()));
    }
    table.machine(
        "jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }

  /** {@code --name value} pairs and bare {@code --flag}s. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException(
            "expected --name [value], got " + args[i] + " in " + Arrays.toString(args));
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        out.put(name, args[++i]);
      } else {
        out.put(name, "true");
      }
    }
    return out;
  }

  static String join(Set<String> s) {
    return s.stream().sorted().collect(Collectors.joining(","));
  }
}
