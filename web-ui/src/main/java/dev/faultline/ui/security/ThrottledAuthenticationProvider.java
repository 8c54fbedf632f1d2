package dev.faultline.ui.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password sign-in behind a {@link LoginThrottle}: a throttled attempt is refused before the
 * password is even checked (so a guess made while throttled tells nothing), every failure is
 * counted, a success clears the user's count.
 */
public final class ThrottledAuthenticationProvider implements AuthenticationProvider {

  private final AuthenticationProvider delegate;
  private final LoginThrottle throttle;

  public ThrottledAuthenticationProvider(AuthenticationProvider delegate, LoginThrottle throttle) {
    this.delegate = delegate;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    String user = authentication.getName();
    String address = address(authentication);
    java.time.Duration wait = throttle.wait(user, address);
    if (!wait.isZero()) {
      throw new LockedException(
          "too many failed sign-ins: try again in " + Math.max(1, wait.toSeconds()) + " s");
    }
    try {
      Authentication result = delegate.authenticate(authentication);
      if (result != null && result.isAuthenticated()) {
        throttle.succeeded(user, address);
      }
      return result;
    } catch (BadCredentialsException e) {
      throttle.failed(user, address);
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private static String address(Authentication authentication) {
    return authentication.getDetails() instanceof WebAuthenticationDetails d
            && d.getRemoteAddress() != null
        ? d.getRemoteAddress()
        : "unknown";
  }
}
