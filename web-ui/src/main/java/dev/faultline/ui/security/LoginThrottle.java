package dev.faultline.ui.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing. After {@link #FREE_FAILURES} failed sign-ins of one user from one
 * address, or {@link #ADDRESS_FAILURES} from one address over any users, further attempts of that
 * key are refused for a delay that doubles with each further failure (from {@link #FIRST_DELAY} to
 * {@link #MAX_DELAY}). A success clears the user's key; failures are forgotten after {@link
 * #FORGET}. Keyed by user and address together, so a guesser elsewhere cannot lock a user out of
 * their own machine. In memory: a restart forgets.
 */
public final class LoginThrottle {

  static final int FREE_FAILURES = 5;
  static final int ADDRESS_FAILURES = 20;
  static final Duration FIRST_DELAY = Duration.ofSeconds(30);
  static final Duration MAX_DELAY = Duration.ofMinutes(15);
  static final Duration FORGET = Duration.ofHours(1);
  private static final int MAX_KEYS = 100_000;

  private record Failures(int count, Instant last, Instant blockedUntil) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long this user at this address must still wait; zero when they may try. */
  public Duration wait(String user, String address) {
    Instant now = clock.instant();
    Duration a = remaining(userKey(user, address), now);
    Duration b = remaining(addressKey(address), now);
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Records a failed sign-in. */
  public void failed(String user, String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_KEYS) {
      failures.entrySet().removeIf(e -> e.getValue().last().plus(FORGET).isBefore(now));
    }
    record(userKey(user, address), FREE_FAILURES, now);
    record(addressKey(address), ADDRESS_FAILURES, now);
  }

  /** Records a successful sign-in: the user's failures from that address are forgotten. */
  public void succeeded(String user, String address) {
    failures.remove(userKey(user, address));
  }

  private void record(String key, int free, Instant now) {
    failures.compute(
        key,
        (k, f) -> {
          int count = f == null || f.last().plus(FORGET).isBefore(now) ? 1 : f.count() + 1;
          Instant until = null;
          if (count >= free) {
            long factor = 1L << Math.min(20, count - free);
            Duration delay = FIRST_DELAY.multipliedBy(factor);
            until = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
          }
          return new Failures(count, now, until);
        });
  }

  private Duration remaining(String key, Instant now) {
    Failures f = failures.get(key);
    if (f == null || f.blockedUntil() == null || !f.blockedUntil().isAfter(now)) {
      return Duration.ZERO;
    }
    return Duration.between(now, f.blockedUntil());
  }

  private static String userKey(String user, String address) {
    return "u:" + (user == null ? "" : user.toLowerCase(java.util.Locale.ROOT)) + "@" + address;
  }

  private static String addressKey(String address) {
    return "a:" + address;
  }
}
