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

  /** The prefix a receiver's secret reference must have by default. */
  String DEFAULT_PREFIX = "FAULTLINE_SECRET_";

  /**
   * Whether a receiver may name this secret at all; a reference refused here is never looked up (so
   * a receiver cannot read, say, the database password through its target).
   */
  default boolean allows(String ref) {
    return true;
  }

  /** What a reference must look like, for the delivery log when {@link #allows} refuses it. */
  default String rule() {
    return "any name";
  }

  /** Secrets from environment variables named {@value #DEFAULT_PREFIX}{@code *}. */
  static Secrets environment() {
    return environment(DEFAULT_PREFIX);
  }

  /** Secrets from environment variables whose names start with {@code prefix}. */
  static Secrets environment(String prefix) {
    return prefixed(prefix, System::getenv);
  }

  /**
   * Secrets from a lookup (the environment, or a map in tests), limited to names starting with
   * {@code prefix}.
   */
  static Secrets prefixed(String prefix, java.util.function.Function<String, String> lookup) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("a secret prefix is required");
    }
    return new Secrets() {
      @Override
      public Optional<String> lookup(String ref) {
        if (!allows(ref)) {
          return Optional.empty();
        }
        return Optional.ofNullable(lookup.apply(ref)).filter(v -> !v.isBlank());
      }

      @Override
      public boolean allows(String ref) {
        return ref != null && ref.startsWith(prefix) && ref.length() > prefix.length();
      }

      @Override
      public String rule() {
        return "a name starting with " + prefix;
      }
    };
  }

  /** A secret as it may be shown: its last 4 characters at most, the rest hidden. */
  static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "";
    }
    int shown = secret.length() >= 16 ? 4 : 0;
    return "****" + secret.substring(secret.length() - shown);
  }

  /**
   * A URL as it may be shown: scheme, host and port only (webhook URLs carry their token in the
   * path or query).
   */
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
