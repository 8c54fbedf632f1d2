package dev.faultline.storage.settings;

import dev.faultline.contract.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which incidents go to which receiver. Empty sets match anything; routes are tried by position.
 *
 * @param minSeverity the least severe incident routed
 * @param layers suspected component layers matched
 */
public record Route(
    String name,
    int position,
    String receiver,
    Set<Incident.Scope> scopes,
    Incident.Severity minSeverity,
    Set<String> models,
    Set<String> layers,
    boolean enabled,
    Instant updatedAt) {

  public Route {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("route name must not be blank");
    }
    Objects.requireNonNull(receiver, "route receiver");
    Objects.requireNonNull(minSeverity, "route minSeverity");
    Objects.requireNonNull(updatedAt, "updatedAt");
    scopes = Set.copyOf(scopes);
    models = Set.copyOf(models);
    layers = Set.copyOf(layers);
  }

  /** Whether an incident record falls under this route. */
  public boolean matches(Incident i) {
    return enabled
        && (scopes.isEmpty() || scopes.contains(i.scope()))
        && !minSeverity.isWorseThan(i.severity())
        && (models.isEmpty() || i.models().stream().anyMatch(models::contains))
        && (layers.isEmpty() || (i.suspected() != null && layers.contains(i.suspected().layer())));
  }

  /** The models matched, as a sorted list (for display). */
  public List<String> sortedModels() {
    return models.stream().sorted().toList();
  }
}
