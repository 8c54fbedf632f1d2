package dev.faultline.ui.security;

import dev.faultline.storage.settings.User;
import java.util.Objects;

/**
 * Who is asking a service to do something: services check the role, so a view that forgot to hide a
 * button still cannot let a manager edit settings.
 */
public record Actor(String name, User.Role role) {

  public Actor {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("actor name must not be blank");
    }
    Objects.requireNonNull(role, "actor role");
  }

  /** Whether the actor may acknowledge and annotate incidents and write post-mortems. */
  public boolean canRespond() {
    return role == User.Role.SRE || role == User.Role.ADMIN;
  }

  /** Whether the actor may change the cost model, routes and users. */
  public boolean canAdminister() {
    return role == User.Role.ADMIN;
  }

  /** Throws {@link SecurityException} unless the actor may respond to incidents. */
  public void requireResponder(String action) {
    if (!canRespond()) {
      throw new SecurityException(name + " (" + role + ") may not " + action);
    }
  }

  /** Throws {@link SecurityException} unless the actor is an admin. */
  public void requireAdmin(String action) {
    if (!canAdminister()) {
      throw new SecurityException(name + " (" + role + ") may not " + action);
    }
  }
}
