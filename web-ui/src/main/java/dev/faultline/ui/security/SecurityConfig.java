package dev.faultline.ui.security;

import com.vaadin.flow.spring.security.VaadinWebSecurity;
import dev.faultline.storage.Storage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
