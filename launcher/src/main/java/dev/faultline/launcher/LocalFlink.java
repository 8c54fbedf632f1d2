package dev.faultline.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The demo's local Flink cluster: checkpoints kept in the data directory (retained when the job is
 * cancelled, as Ctrl-C does), the job resumed from the latest one on the next start, the REST
 * endpoint on loopback only (it accepts job jars, i.e. runs code).
 */
final class LocalFlink {

  private static final String METADATA = "_metadata";

  private LocalFlink() {}

  /** The cluster's configuration; resumes from the latest checkpoint under {@code dir}, if any. */
  static Configuration configuration(Path dir) {
    Path checkpoints = dir.resolve("checkpoints").toAbsolutePath();
    Configuration conf = new Configuration();
    set(conf, "execution.checkpointing.dir", checkpoints.toUri().toString());
    set(
        conf,
        "execution.checkpointing.externalized-checkpoint-retention",
        "RETAIN_ON_CANCELLATION");
    set(conf, "execution.checkpointing.num-retained", "2");
    set(conf, "rest.bind-address", "127.0.0.1");
    set(conf, "rest.address", "127.0.0.1");
    set(conf, "rest.bind-port", "0");
    Optional<Path> latest = latestCheckpoint(checkpoints);
    latest.ifPresent(chk -> set(conf, "execution.state-recovery.path", chk.toUri().toString()));
    latest.ifPresent(chk -> deleteOtherJobs(checkpoints, chk.getParent()));
    return conf;
  }

  /** Checkpoints of jobs older than the one resumed from are of no further use. */
  private static void deleteOtherJobs(Path checkpoints, Path keep) {
    try (Stream<Path> jobs = Files.list(checkpoints)) {
      jobs.filter(j -> !j.equals(keep))
          .filter(Files::isDirectory)
          .forEach(LocalFlink::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpoints, e);
    }
  }

  /**
   * The newest complete checkpoint ({@code <job>/chk-<n>} holding {@code _metadata}) under {@code
   * checkpoints}, across the jobs of earlier starts.
   */
  static Optional<Path> latestCheckpoint(Path checkpoints) {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpoints)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(LocalFlink::completeCheckpoints)
          .max(Comparator.comparing(LocalFlink::modified));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpoints, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static Stream<Path> completeCheckpoints(Path job) {
    try (Stream<Path> children = Files.list(job)) {
      return children
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.isRegularFile(p.resolve(METADATA)))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + job, e);
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve(METADATA));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void set(Configuration conf, String key, String value) {
    ConfigOption<String> option = ConfigOptions.key(key).stringType().noDefaultValue();
    conf.set(option, value);
  }
}
