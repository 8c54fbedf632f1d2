package dev.faultline.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A hosted provider's status page changing a component's status, as its Statuspage poller reports
 * it (an {@code alert} record): usually minutes after its users' requests started failing.
 *
 * @param at offset from the run's start
 * @param provider the provider's name (the alert's {@code provider} label)
 * @param component the status page's component, e.g. {@code Claude API}
 * @param status the component's status ({@code degraded_performance}, {@code partial_outage},
 *     {@code major_outage}), or {@code operational} when it is resolved
 */
public record StatusNote(Duration at, String provider, String component, String status) {

  public StatusNote {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(status, "status");
  }

  /** Whether the note says the component is fine again. */
  public boolean operational() {
    return status.equals("operational");
  }
}
