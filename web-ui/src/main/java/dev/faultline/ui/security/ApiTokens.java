package dev.faultline.ui.security;

import dev.faultline.storage.Storage;
import dev.faultline.storage.settings.ApiToken;
import dev.faultline.storage.settings.ApiTokenRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * REST API tokens: each belongs to a user and acts with that user's role as it is at the time of
 * the request (a user demoted to manager cannot acknowledge with an older token).
 *
 * <p>A token is {@value #PREFIX} followed by 256 random bits (base64url). Only its SHA-256 is
 * stored (storage's {@link dev.faultline.storage.settings.ApiTokenRepository}). A slow, salted
 * password hash (bcrypt) protects passwords people choose, which are guessable; a 256-bit random
 * token is not, so a plain SHA-256 is as safe against a stolen table and lets a request find its
 * token by one indexed lookup instead of trying bcrypt against every token.
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

  private final ApiTokenRepository tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiTokens(Storage storage, Clock clock) {
    this.tokens = storage.apiTokens();
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
    long id = tokens.create(actor.name(), n, sha256(token), prefix, now);
    return new Created(new ApiToken(id, actor.name(), n, prefix, now, null, null), token);
  }

  /** The actor's own tokens, newest first, revoked ones included. */
  public List<ApiToken> list(Actor actor) {
    return tokens.ofUser(actor.name());
  }

  /**
   * Revokes one of the actor's tokens (an admin may revoke anyone's); requests carrying it are
   * refused from now on.
   *
   * @return whether a working token was revoked
   */
  public boolean revoke(Actor actor, long id) {
    return tokens.revoke(id, actor.name(), actor.canAdminister(), clock.instant());
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
    Optional<ApiTokenRepository.Bearer> found = tokens.findWorking(sha256(token));
    found
        .filter(
            f ->
                f.lastUsedAt() == null
                    || Duration.between(f.lastUsedAt(), now).compareTo(LAST_USED_RESOLUTION) >= 0)
        .ifPresent(f -> tokens.markUsed(f.id(), now));
    return found.map(f -> new Actor(f.userName(), f.role()));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
