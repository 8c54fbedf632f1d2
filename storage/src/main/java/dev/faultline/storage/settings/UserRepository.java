package dev.faultline.storage.settings;

import dev.faultline.storage.jdbc.Sql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads and writes UI users. */
public final class UserRepository {

  private final Sql sql;

  public UserRepository(Sql sql) {
    this.sql = sql;
  }

  /** Every user by name. */
  public List<User> all() {
    return sql.query(
        "SELECT name, role, password_hash, created_at FROM app_user ORDER BY name",
        UserRepository::user);
  }

  /** One user. */
  public Optional<User> find(String name) {
    return sql.queryOne(
        "SELECT name, role, password_hash, created_at FROM app_user WHERE name = ?",
        UserRepository::user,
        name);
  }

  /** Creates a user or replaces its role and hash (keeping when it was created). */
  public void save(User u) {
    sql.update(
        "INSERT INTO app_user (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role,"
            + " password_hash = EXCLUDED.password_hash",
        u.name(),
        u.role().name().toLowerCase(Locale.ROOT),
        u.passwordHash(),
        u.createdAt());
  }

  /** Deletes a user. */
  public boolean delete(String name) {
    return sql.update("DELETE FROM app_user WHERE name = ?", name) > 0;
  }

  private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new User(
        rs.getString("name"),
        User.Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)),
        rs.getString("password_hash"),
        Sql.instant(rs, "created_at"));
  }
}
