package dev.faultline.storage.settings;

import java.time.Instant;

/**
 * One of a user's REST API tokens as it is listed: never the token itself, which is shown once when
 * it is created and then only its hash is kept.
 *
 * @param prefix the token's first characters, to tell tokens apart
 * @param lastUsedAt when a request last carried it, or null
 * @param revokedAt when it was revoked, or null while it works
 */
public record ApiToken(
    long id,
    String userName,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  /** Whether requests carrying it are still accepted. */
  public boolean active() {
    return revokedAt == null;
  }
}
