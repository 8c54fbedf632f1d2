package dev.faultline.launcher;

import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.consumer.StorageConsumerConfig;
import dev.faultline.storage.consumer.StorageWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./faultline storage-writer}: telemetry and incidents from Kafka into the database. */
@Command(
    name = "storage-writer",
    mixinStandardHelpOptions = true,
    description =
        "Write telemetry.v1 and incident.v1 from Kafka into the database (committed offsets only"
            + " after a batch is in), until Ctrl-C.")
final class StorageWriterCommand implements Callable<Integer> {

  @Mixin PlatformOptions options;

  @Option(
      names = "--health-port",
      defaultValue = "${env:FAULTLINE_STORAGE_WRITER_HEALTH_PORT:-9402}",
      description =
          "port of /healthz, /readyz and /metrics, on --bind (env"
              + " FAULTLINE_STORAGE_WRITER_HEALTH_PORT, default ${DEFAULT-VALUE})")
  int healthPort;

  @Override
  public Integer call() throws Exception {
    Platform platform = Platform.start(options, true);
    StorageConfig storage =
        StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword());
    StorageWriter writer =
        StorageWriter.start(
            storage,
            StorageConsumerConfig.of(platform.kafkaBootstrap(), storage),
            Clock.systemUTC(),
            options.bind,
            healthPort);
    platform.own(
        "Storage writer",
        "consuming "
            + platform.kafkaBootstrap()
            + " into the database; /healthz, /readyz, /metrics on "
            + options.bind
            + ":"
            + writer.healthPort(),
        writer);
    return Services.runUntilStopped(platform);
  }
}
