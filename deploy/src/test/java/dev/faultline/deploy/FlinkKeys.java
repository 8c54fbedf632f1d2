package dev.faultline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys of the Flink release on the classpath (every {@code ConfigOption} of
 * {@code org.apache.flink.configuration}), to check deployment files against: current keys, and
 * deprecated ones with the key that replaced them.
 */
final class FlinkKeys {

  /** Keys read by parts that are not in flink-core: the operator, file system plugins. */
  private static final List<String> OTHER_PREFIXES =
      List.of("kubernetes.operator.", "s3.", "high-availability.kubernetes.");

  private static final List<ConfigOption<?>> OPTIONS = options();

  private FlinkKeys() {}

  static Set<String> current() {
    Set<String> out = new HashSet<>();
    OPTIONS.forEach(o -> out.add(o.key()));
    return out;
  }

  /** Deprecated key to the current key that replaced it. */
  static Map<String, String> deprecated() {
    Map<String, String> out = new HashMap<>();
    for (ConfigOption<?> o : OPTIONS) {
      for (FallbackKey k : o.fallbackKeys()) {
        if (k.isDeprecated()) {
          out.put(k.getKey(), o.key());
        }
      }
    }
    return out;
  }

  static boolean outsideFlinkCore(String key) {
    return OTHER_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** The keys of Compose's FLINK_PROPERTIES (a YAML map in a string). */
  static List<String> composeKeys() {
    List<String> keys = new ArrayList<>();
    JsonNode flink = DeployFiles.compose().path("services").path("jobmanager");
    String props = flink.path("environment").path("FLINK_PROPERTIES").asText();
    for (String line : props.split("\n")) {
      if (line.contains(":") && !line.isBlank() && !line.startsWith("#")) {
        keys.add(line.substring(0, line.indexOf(':')).trim());
      }
    }
    return keys;
  }

  private static List<ConfigOption<?>> options() {
    List<ConfigOption<?>> out = new ArrayList<>();
    try {
      URI jar = CoreOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI();
      try (FileSystem fs = FileSystems.newFileSystem(Path.of(jar));
          Stream<Path> files = Files.list(fs.getPath("org/apache/flink/configuration"))) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (name.endsWith("Options.class")) {
            addOptions(
                Class.forName("org.apache.flink.configuration." + name.replace(".class", "")), out);
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot list Flink's configuration options", e);
    }
    return out;
  }

  private static void addOptions(Class<?> holder, List<ConfigOption<?>> out)
      throws IllegalAccessException {
    for (Field field : holder.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && ConfigOption.class.isAssignableFrom(field.getType())) {
        out.add((ConfigOption<?>) field.get(null));
      }
    }
  }
}
