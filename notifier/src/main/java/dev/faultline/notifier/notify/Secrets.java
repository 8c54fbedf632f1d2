package dev.faultline.notifier.notify;

import java.net.URI;
import java.util.Optional;

/**
 * Where receiver secrets come from. A receiver row stores only the secret's name ({@code
 * secret_ref}: an environment variable by default); the value is looked up when an alert is sent
 * and never logged or stored: {@link #mask} is what may be shown.
 */
@FunctionalInterface
public interface Secrets {

  /** The secret named {@code ref}, if set. */
  Optional<String> lookup(String ref);

  /** Secrets from environment variables. */
  static Secrets environment() {
    return ref -> Optional.ofNullable(System.getenv(ref)).filter(v -> !v.isBlank());
  }

  /** A secret as it may be shown: its last 4 characters at most, the rest hidden. */
  static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "";
    }
    int shown = secret.length() >= 16 ? 4 : 0;
    return "****" + secret.substring(secret.length() - shown);
  }

  /** A URL as it may be shown: scheme, host and port only (webhook URLs carry their token). */
  static String maskUrl(String url) {
    try {
      URI u = URI.create(url);
      String port = u.getPort() < 0 ? "" : ":" + u.getPort();
      boolean hasMore = u.getRawPath() != null && u.getRawPath().length() > 1;
      return u.getScheme() + "://" + u.getHost() + port + (hasMore ? "/****" : "/");
    } catch (IllegalArgumentException e) {
      return "****";
    }
  }
}
