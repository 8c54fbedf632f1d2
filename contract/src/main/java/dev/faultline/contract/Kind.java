package dev.faultline.contract;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of {@code telemetry.v1} record, with their wire names. */
public enum Kind {
  MODEL_WINDOW("model_window"),
  GPU("gpu"),
  PROBE("probe"),
  TOPOLOGY("topology"),
  ALERT("alert");

  private final String wireName;

  Kind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the {@code kind} field. */
  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, if it is one of the contract's. */
  public static Optional<Kind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }
}
