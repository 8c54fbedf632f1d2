package dev.faultline.storage.settings;

import dev.faultline.storage.jdbc.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads and writes REST API tokens (table {@code api_token}): only each token's SHA-256 is stored,
 * and a token is found by that hash.
 */
public final class ApiTokenRepository {

  private final Sql sql;

  public ApiTokenRepository(Sql sql) {
    this.sql = sql;
  }

  /** A working token as a request presents it: whose it is, with the user's current role. */
  public record Bearer(long id, Instant lastUsedAt, String userName, User.Role role) {}

  /** Stores a new token of a user; returns its id. */
  public long create(String userName, String name, byte[] sha256, String prefix, Instant now) {
    return sql.queryOne(
            "INSERT INTO api_token (user_name, name, token_sha256, prefix, created_at)"
                + " VALUES (?, ?, ?, ?, ?) RETURNING id",
            rs -> rs.getLong(1),
            userName,
            name,
            sha256,
            prefix,
            now)
        .orElseThrow();
  }

  /** A user's tokens, newest first, revoked ones included. */
  public List<ApiToken> ofUser(String userName) {
    return sql.query(
        "SELECT id, user_name, name, prefix, created_at, last_used_at, revoked_at FROM api_token"
            + " WHERE user_name = ? ORDER BY created_at DESC, id DESC",
        rs ->
            new ApiToken(
                rs.getLong("id"),
                rs.getString("user_name"),
                rs.getString("name"),
                rs.getString("prefix"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "revoked_at")),
        userName);
  }

  /**
   * Revokes a working token of {@code userName} (of anyone's when {@code anyUser}); whether one was
   * revoked.
   */
  public boolean revoke(long id, String userName, boolean anyUser, Instant now) {
    return sql.update(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
                + " AND (user_name = ? OR ?)",
            now,
            id,
            userName,
            anyUser)
        == 1;
  }

  /** The working (not revoked) token with this hash, if its user still exists. */
  public Optional<Bearer> findWorking(byte[] sha256) {
    return sql.queryOne(
        "SELECT t.id, t.last_used_at, u.name, u.role FROM api_token t"
            + " JOIN app_user u ON u.name = t.user_name"
            + " WHERE t.token_sha256 = ? AND t.revoked_at IS NULL",
        rs ->
            new Bearer(
                rs.getLong("id"),
                Sql.instant(rs, "last_used_at"),
                rs.getString("name"),
                User.Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT))),
        (Object) sha256);
  }

  /** Records that a request carried the token at {@code now}. */
  public void markUsed(long id, Instant now) {
    sql.update("UPDATE api_token SET last_used_at = ? WHERE id = ?", now, id);
  }
}
