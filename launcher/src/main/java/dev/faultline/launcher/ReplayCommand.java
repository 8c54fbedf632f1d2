package dev.faultline.launcher;

import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.jobs.Replay;
import dev.faultline.jobs.core.CorrelationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./faultline replay IN OUT}. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay an NDJSON telemetry recording through the correlation job and write every incident.v1"
          + " record it emitted to OUT (NDJSON).",
      "Publishes to Kafka (a temporary embedded broker unless FAULTLINE_KAFKA_BOOTSTRAP is set),"
          + " runs the live job graph on a local Flink cluster with a bounded source, in event time.",
      "A bad line is reported (line and reason) and skipped."
    })
final class ReplayCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "telemetry.v1 NDJSON file")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "where to write incident.v1 NDJSON")
  Path out;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Flink parallelism (default ${DEFAULT-VALUE})")
  int parallelism;

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      description =
          "detection settings (YAML or JSON, names as in stream-jobs/README.md) laid over the"
              + " defaults")
  Path settingsFile;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:FAULTLINE_KAFKA_BOOTSTRAP}",
      description = "Kafka to replay through; none: a temporary embedded broker")
  String kafkaBootstrap;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(in)) {
      System.err.println("replay: cannot read " + in);
      return 2;
    }
    CorrelationSettings settings = CorrelationSettings.defaults();
    if (settingsFile != null) {
      try {
        settings = CorrelationSettings.load(settingsFile);
      } catch (java.io.IOException | IllegalArgumentException e) {
        System.err.println("replay: --settings: " + e.getMessage());
        return 2;
      }
    }
    EmbeddedKafka embedded = null;
    String bootstrap = kafkaBootstrap;
    if (bootstrap == null || bootstrap.isBlank()) {
      embedded = EmbeddedKafka.start();
      bootstrap = embedded.bootstrapServers();
    }
    try {
      Replay.Result result = new Replay(bootstrap, settings, parallelism).run(in, out, System.err);
      long opened =
          result.incidents().stream()
              .filter(i -> i.event() == dev.faultline.contract.Incident.Event.OPENED)
              .count();
      System.out.printf(
          "replay: %d lines, %d records published, %d skipped; %d incident records (%d incidents)"
              + " written to %s in %.1f s%n",
          result.lines(),
          result.published(),
          result.rejected().size(),
          result.incidents().size(),
          opened,
          out,
          result.took().toMillis() / 1000.0);
      return 0;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
