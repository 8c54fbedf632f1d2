package dev.faultline.storage.settings;

import java.time.Instant;
import java.util.Objects;

/**
 * A person who signs in to the UI.
 *
 * @param passwordHash an encoded hash (e.g. bcrypt/PBKDF2 in modular crypt format), never a
 *     password
 */
public record User(String name, Role role, String passwordHash, Instant createdAt) {

  public User {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("user name must not be blank");
    }
    Objects.requireNonNull(role, "user role");
    if (passwordHash == null || passwordHash.isBlank()) {
      throw new IllegalArgumentException("user passwordHash must not be blank");
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** What a user may do. */
  public enum Role {
    SRE,
    MANAGER,
    ADMIN
  }

  /** Never shows the hash. */
  @Override
  public String toString() {
    return "User[name=" + name + ", role=" + role + "]";
  }
}
