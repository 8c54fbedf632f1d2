package dev.faultline.ui.security;

import dev.faultline.storage.Storage;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * REST API tokens: each belongs to a user and acts with that user's role as it is at the time of
 * the request (a user demoted to manager cannot acknowledge with an older token).
 *
 * <p>A token is {@value #PREFIX} followed by 256 random bits (base64url). Only its SHA-256 is
 * stored (table {@code api_token}, storage's V6). A slow, salted password hash (bcrypt) protects
 * passwords people choose, which are guessable; a 256-bit random token is not, so a plain SHA-256
 * is as safe against a stolen table and lets a request find its token by one indexed lookup instead
 * of trying bcrypt against every token.
 */
@Service
public class ApiTokens {

  /** How every token starts, so secret scanners and people can recognise one. */
  public static final String PREFIX = "flt_";

  /** The longest token name. */
  public static final int MAX_NAME = 100;

  /** Characters of a token shown in lists. */
  static final int SHOWN = PREFIX.length() + 6;

  /** Recording every use would write on every request; once a minute is enough to list. */
  private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final Sql sql;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiTokens(Storage storage, Clock clock) {
    this.sql = new Sql(storage.dataSource());
    this.clock = clock;
  }

  /**
   * A new token, created and returned once.
   *
   * @param token the token to hand to the user; it is not kept and cannot be shown again
   */
  public record Created(ApiToken info, String token) {

    /** Never shows the token. */
    @Override
    public String toString() {
      return "Created[" + info + "]";
    }
  }

  /**
   * Creates a token for the actor, with the actor's role.
   *
   * @throws IllegalArgumentException starting with "name" when the name is blank or too long
   */
  public Created create(Actor actor, String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > MAX_NAME) {
      throw new IllegalArgumentException("name: 1 to " + MAX_NAME + " characters");
    }
    byte[] bits = new byte[32];
    random.nextBytes(bits);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    Instant now = clock.instant();
    String prefix = token.substring(0, SHOWN);
    long id =
        sql.queryOne(
                "INSERT INTO api_token (user_name, name, token_sha256, prefix, created_at)"
                    + " VALUES (?, ?, ?, ?, ?) RETURNING id",
                rs -> rs.getLong(1),
                actor.name(),
                n,
                sha256(token),
                prefix,
                now)
            .orElseThrow();
    return new Created(new ApiToken(id, actor.name(), n, prefix, now, null, null), token);
  }

  /** The actor's own tokens, newest first, revoked ones included. */
  public List<ApiToken> list(Actor actor) {
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
        actor.name());
  }

  /**
   * Revokes one of the actor's tokens (an admin may revoke anyone's); requests carrying it are
   * refused from now on.
   *
   * @return whether a working token was revoked
   */
  public boolean revoke(Actor actor, long id) {
    return sql.update(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
                + " AND (user_name = ? OR ?)",
            clock.instant(),
            id,
            actor.name(),
            actor.canAdminister())
        == 1;
  }

  /**
   * The actor a presented token stands for: its user with the user's current role; empty when the
   * token is unknown, revoked, or its user is gone.
   */
  public Optional<Actor> authenticate(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<Found> found =
        sql.queryOne(
            "SELECT t.id, t.last_used_at, u.name, u.role FROM api_token t"
                + " JOIN app_user u ON u.name = t.user_name"
                + " WHERE t.token_sha256 = ? AND t.revoked_at IS NULL",
            rs ->
                new Found(
                    rs.getLong("id"),
                    Sql.instant(rs, "last_used_at"),
                    new Actor(
                        rs.getString("name"),
                        User.Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)))),
            (Object) sha256(token));
    found
        .filter(
            f ->
                f.lastUsedAt() == null
                    || Duration.between(f.lastUsedAt(), now).compareTo(LAST_USED_RESOLUTION) >= 0)
        .ifPresent(
            f -> sql.update("UPDATE api_token SET last_used_at = ? WHERE id = ?", now, f.id()));
    return found.map(Found::actor);
  }

  private record Found(long id, Instant lastUsedAt, Actor actor) {}

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
