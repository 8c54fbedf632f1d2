package dev.faultline.storage.settings;

import java.util.List;
import java.util.Objects;

/**
 * Models a team accepts as substitutes for one another, in the order of preference.
 *
 * @param name the group's name (e.g. {@code frontier-chat})
 * @param models its members, at least two, each once
 */
public record EquivalenceGroup(String name, List<String> models) {
  public EquivalenceGroup {
    Objects.requireNonNull(name, "name");
    models = List.copyOf(models);
    if (name.isBlank()) {
      throw new IllegalArgumentException("an equivalence group needs a name");
    }
    if (models.size() < 2 || models.stream().distinct().count() != models.size()) {
      throw new IllegalArgumentException(
          "equivalence group " + name + " needs at least two distinct models, was " + models);
    }
  }
}
