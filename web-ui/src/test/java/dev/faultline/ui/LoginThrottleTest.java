package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ui.security.LoginThrottle;
import dev.faultline.ui.security.ThrottledAuthenticationProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Login throttling with a clock the test moves: no sleeping. */
class LoginThrottleTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** A clock the test advances. */
  static final class MovingClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovingClock clock = new MovingClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);
  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
  private final ThrottledAuthenticationProvider provider = provider();

  private ThrottledAuthenticationProvider provider() {
    InMemoryUserDetailsManager users =
        new InMemoryUserDetailsManager(
            User.withUsername("sre")
                .password(encoder.encode("right-password-1"))
                .roles("SRE")
                .build());
    DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
    dao.setPasswordEncoder(encoder);
    return new ThrottledAuthenticationProvider(dao, throttle);
  }

  private Authentication attempt(String user, String password, String address) {
    UsernamePasswordAuthenticationToken t =
        UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    t.setDetails(new WebAuthenticationDetails(address, null));
    return provider.authenticate(t);
  }

  @Test
  void fiveWrongPasswordsLockTheUserAtThatAddressEvenForTheRightOne() {
    for (int k = 0; k < 5; k++) {
      assertThrows(BadCredentialsException.class, () -> attempt("sre", "guess", "10.0.0.9"));
    }
    LockedException locked =
        assertThrows(LockedException.class, () -> attempt("sre", "right-password-1", "10.0.0.9"));
    assertTrue(locked.getMessage().contains("30 s"), locked.getMessage());
    // The same user from their own machine is not locked out by the guesser.
    assertTrue(attempt("sre", "right-password-1", "192.0.2.1").isAuthenticated());
  }

  @Test
  void theDelayDoublesAndEndsWithTime() {
    for (int k = 0; k < 5; k++) {
      assertThrows(BadCredentialsException.class, () -> attempt("sre", "guess", "10.0.0.9"));
    }
    assertEquals(Duration.ofSeconds(30), throttle.wait("sre", "10.0.0.9"));
    clock.now = clock.now.plusSeconds(31);
    assertThrows(BadCredentialsException.class, () -> attempt("sre", "guess", "10.0.0.9"));
    assertEquals(Duration.ofSeconds(60), throttle.wait("sre", "10.0.0.9"));
    clock.now = clock.now.plusSeconds(61);
    assertTrue(attempt("sre", "right-password-1", "10.0.0.9").isAuthenticated());
    assertEquals(Duration.ZERO, throttle.wait("sre", "10.0.0.9"));
  }

  @Test
  void manyUsersGuessedFromOneAddressLockTheAddress() {
    for (int k = 0; k < 20; k++) {
      String user = "user" + k;
      assertThrows(BadCredentialsException.class, () -> attempt(user, "guess", "10.0.0.7"));
    }
    assertThrows(LockedException.class, () -> attempt("sre", "right-password-1", "10.0.0.7"));
  }

  @Test
  void theDelayNeverExceedsFifteenMinutes() {
    for (int k = 0; k < 40; k++) {
      clock.now = clock.now.plus(throttle.wait("sre", "10.0.0.9")).plusSeconds(1);
      assertThrows(BadCredentialsException.class, () -> attempt("sre", "guess", "10.0.0.9"));
    }
    assertEquals(Duration.ofMinutes(15), throttle.wait("sre", "10.0.0.9"));
  }
}
