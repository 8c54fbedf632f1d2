package dev.faultline.storage.silence;

import dev.faultline.storage.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Reads and writes silences (maintenance windows). */
public final class SilenceRepository {

  private final Sql sql;

  public SilenceRepository(Sql sql) {
    this.sql = sql;
  }

  /** Stores a new silence; returns it with its id. */
  public Silence create(Silence s) {
    long id =
        sql.queryOne(
                "INSERT INTO silence (matcher, value, starts_at, ends_at, reason, created_by,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                rs -> rs.getLong(1),
                s.matcher().wireName(),
                s.value(),
                s.startsAt(),
                s.endsAt(),
                s.reason(),
                s.createdBy(),
                s.createdAt())
            .orElseThrow();
    return new Silence(
        id,
        s.matcher(),
        s.value(),
        s.startsAt(),
        s.endsAt(),
        s.reason(),
        s.createdBy(),
        s.createdAt());
  }

  /** Silences in force at {@code now} or starting later, soonest end first. */
  public List<Silence> currentAndUpcoming(Instant now) {
    return sql.query(
        "SELECT * FROM silence WHERE ends_at > ? ORDER BY ends_at, id",
        SilenceRepository::silence,
        now);
  }

  /** Every silence, newest first (at most {@code limit}). */
  public List<Silence> recent(int limit) {
    return sql.query(
        "SELECT * FROM silence ORDER BY created_at DESC, id DESC LIMIT ?",
        SilenceRepository::silence,
        limit);
  }

  /** Ends a silence at {@code now} (if it had not ended); whether it changed. */
  public boolean end(long id, Instant now) {
    return sql.update(
            "UPDATE silence SET ends_at = GREATEST(?, starts_at + interval '1 millisecond')"
                + " WHERE id = ? AND ends_at > ?",
            now,
            id,
            now)
        == 1;
  }

  private static Silence silence(ResultSet rs) throws SQLException {
    return new Silence(
        rs.getLong("id"),
        Silence.Matcher.valueOf(rs.getString("matcher").toUpperCase(Locale.ROOT)),
        rs.getString("value"),
        Sql.instant(rs, "starts_at"),
        Sql.instant(rs, "ends_at"),
        rs.getString("reason"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"));
  }
}
