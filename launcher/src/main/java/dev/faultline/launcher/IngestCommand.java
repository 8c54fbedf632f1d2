package dev.faultline.launcher;

import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestConfigCheck;
import dev.faultline.ingest.IngestService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./faultline ingest --config FILE}: the collectors as a standalone service; {@code
 * --check-config FILE} checks a file and exits.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Run the collectors of one YAML file (see ingest/ingest.example.yaml) until Ctrl-C.")
final class IngestCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  /** Run with a configuration, or only check one. */
  static final class Mode {
    @Option(names = "--config", required = true, description = "collectors' YAML file")
    Path config;

    @Option(
        names = "--check-config",
        required = true,
        paramLabel = "FILE",
        description = "check FILE (a mistake is named with its line and column) and exit")
    Path checkConfig;
  }

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:FAULTLINE_KAFKA_BOOTSTRAP:-127.0.0.1:19092}",
      description = "Kafka to publish to (default ${DEFAULT-VALUE}, the demo's broker)")
  String kafkaBootstrap;

  @Option(
      names = "--bind",
      defaultValue = "${env:FAULTLINE_BIND}",
      description = "address to listen on (default: http.host of the config, else 127.0.0.1)")
  String bind;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:FAULTLINE_DATA_DIR:-.faultline/data}",
      description = "where generated bearer tokens are kept (default ${DEFAULT-VALUE})")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (mode.checkConfig != null) {
      return IngestConfigCheck.run(mode.checkConfig, System::getenv, System.out, System.err);
    }
    IngestConfig loaded = IngestConfig.load(mode.config);
    loaded = bind == null || bind.isBlank() ? loaded : loaded.withBind(bind);
    loaded = loaded.dataDir() == null ? loaded.withDataDir(dataDir) : loaded;
    IngestService service = new IngestService(kafkaBootstrap, Clock.systemUTC(), loaded);
    service.start();
    System.out.println("ingest: collectors running, endpoints at " + service.baseUrl());
    if (service.tokens().file() != null) {
      System.out.println("ingest: bearer tokens in " + service.tokens().file());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
