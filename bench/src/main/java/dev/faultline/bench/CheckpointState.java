package dev.faultline.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;

/**
 * The state size of each stage of the job in its latest retained checkpoint, read from the
 * checkpoint's metadata (for incremental RocksDB checkpoints, the full state the checkpoint refers
 * to, shared files included). Operators are told apart by their uid: Flink derives an operator's id
 * from its uid with murmur3-128 (as its {@code StreamGraphHasherV2} does).
 */
final class CheckpointState {

  /** The uids of the job's stateful stages (CorrelationJob), in pipeline order. */
  static final List<String> STAGES =
      List.of("dedup", "model-health", "fleet-partition", "gpu-pressure", "correlator");

  private CheckpointState() {}

  static Map<String, Long> byStage(Path checkpoints) {
    Map<String, Long> out = new LinkedHashMap<>();
    Optional<Path> latest = latest(checkpoints);
    if (latest.isEmpty()) {
      return out;
    }
    Map<OperatorID, String> names = new LinkedHashMap<>();
    for (String uid : STAGES) {
      names.put(
          new OperatorID(Hashing.murmur3_128(0).hashString(uid, StandardCharsets.UTF_8).asBytes()),
          uid);
    }
    try (InputStream in = Files.newInputStream(latest.get().resolve("_metadata"))) {
      CheckpointMetadata metadata =
          Checkpoints.loadCheckpointMetadata(
              new DataInputStream(in),
              CheckpointState.class.getClassLoader(),
              latest.get().toUri().toString());
      STAGES.forEach(s -> out.put(s, 0L));
      long other = 0;
      for (OperatorState op : metadata.getOperatorStates()) {
        String name = names.get(op.getOperatorID());
        if (name == null) {
          other += op.getStateSize();
        } else {
          out.merge(name, op.getStateSize(), Long::sum);
        }
      }
      out.put("sources and sinks", other);
    } catch (IOException e) {
      out.put("unreadable: " + e.getMessage(), 0L);
    }
    return out;
  }

  private static Optional<Path> latest(Path checkpoints) {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(
              java.util.Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring("chk-".length()))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
