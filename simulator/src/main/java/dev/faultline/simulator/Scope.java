package dev.faultline.simulator;

/** The scope of an expected incident, as in {@code incident.v1}'s {@code scope} field. */
public enum Scope {
  /** Several models fail together through a shared component. */
  INFRASTRUCTURE("infrastructure"),
  /** One model fails alone. */
  MODEL("model"),
  /** The data stopped, not the service. */
  TELEMETRY("telemetry");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** The value of {@code incident.v1}'s {@code scope}. */
  public String wireName() {
    return wireName;
  }
}
