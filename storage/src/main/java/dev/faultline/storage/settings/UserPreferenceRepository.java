package dev.faultline.storage.settings;

import dev.faultline.storage.jdbc.Sql;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Each UI user's own choices (today: the time zone times are shown in). */
public final class UserPreferenceRepository {

  private final Sql sql;

  public UserPreferenceRepository(Sql sql) {
    this.sql = sql;
  }

  /** The zone the user picked, empty when they follow their browser. */
  public Optional<ZoneId> timeZone(String user) {
    return sql.queryOne(
            "SELECT time_zone FROM user_preference WHERE name = ?",
            rs -> Optional.ofNullable(rs.getString("time_zone")),
            user)
        .flatMap(z -> z)
        .map(ZoneId::of);
  }

  /** Stores the user's zone; null goes back to the browser's. */
  public void setTimeZone(String user, ZoneId zone, Instant now) {
    sql.update(
        "INSERT INTO user_preference (name, time_zone, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET time_zone = EXCLUDED.time_zone,"
            + " updated_at = EXCLUDED.updated_at",
        user,
        zone == null ? null : zone.getId(),
        now);
  }
}
