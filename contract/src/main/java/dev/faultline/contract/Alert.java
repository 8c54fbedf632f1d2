package dev.faultline.contract;

import java.time.Instant;
import java.util.Map;

/**
 * An alert raised by another system, for example Prometheus Alertmanager.
 *
 * @param status {@code firing} or {@code resolved}
 * @param labels the alert's labels; a {@code model} label ties it to a model
 * @param startsAt when the alert started, or null
 * @param summary or null
 */
public record Alert(
    Instant ts,
    String source,
    String name,
    String status,
    Map<String, String> labels,
    Instant startsAt,
    String summary)
    implements Telemetry {

  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public Alert {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public Kind kind() {
    return Kind.ALERT;
  }

  @Override
  public String key() {
    String model = labels.get("model");
    return model != null ? model : name;
  }
}
