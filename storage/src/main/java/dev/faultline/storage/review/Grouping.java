package dev.faultline.storage.review;

/** What the review groups downtime by. */
public enum Grouping {
  /** The suspected component's layer (scheduler, router, cluster, region...). */
  LAYER("coalesce(i.suspected_layer, '" + Grouping.NONE + "')"),
  /** The suspected component, {@code layer/id}. */
  COMPONENT("coalesce(i.suspected_layer || '/' || i.suspected_id, '" + Grouping.NONE + "')"),
  /** Each affected model (an incident of n models counts once for each). */
  MODEL("m.model"),
  /** Infrastructure, model or telemetry. */
  SCOPE("i.scope");

  /** The key of incidents that named no component. */
  public static final String NONE = "(none)";

  final String keyExpression;

  Grouping(String keyExpression) {
    this.keyExpression = keyExpression;
  }
}
