package dev.faultline.ui.security;

import com.vaadin.flow.spring.security.VaadinWebSecurity;
import dev.faultline.storage.Storage;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Form login against storage's users; everything but the login page needs a signed-in user, and
 * views declare their roles ({@code @PermitAll}, {@code @RolesAllowed("ADMIN")}).
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig extends VaadinWebSecurity {

  @Override
  protected void configure(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.requestMatchers("/export/**").authenticated());
    super.configure(http);
    setLoginView(http, LoginView.class, "/login");
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  @Bean
  LoginThrottle loginThrottle(Clock clock) {
    return new LoginThrottle(clock);
  }

  /** Sign-in against storage's users, behind the throttle. */
  @Bean
  AuthenticationProvider authenticationProvider(
      UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
    DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
    dao.setPasswordEncoder(encoder);
    return new ThrottledAuthenticationProvider(dao, throttle);
  }

  @Bean
  UserDetailsService userDetailsService(Storage storage) {
    return name ->
        storage
            .users()
            .find(name)
            .map(
                u ->
                    org.springframework.security.core.userdetails.User.withUsername(u.name())
                        .password(u.passwordHash())
                        .roles(u.role().name())
                        .build())
            .orElseThrow(() -> new UsernameNotFoundException(name));
  }
}
