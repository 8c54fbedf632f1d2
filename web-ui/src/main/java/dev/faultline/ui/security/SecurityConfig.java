package dev.faultline.ui.security;

import com.vaadin.flow.spring.security.VaadinWebSecurity;
import dev.faultline.storage.Storage;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Form login against storage's users; everything but the login page needs a signed-in user, and
 * views declare their roles ({@code @PermitAll}, {@code @RolesAllowed("ADMIN")}).
 *
 * <p>The REST API ({@code /api/**}) has a chain of its own, ahead of the UI's: bearer tokens only
 * ({@link ApiTokens}), stateless (no session is created or read, so a browser's session cookie
 * authenticates nothing there and CSRF, which rides on cookies, has nothing to forge), 401 with
 * {@code WWW-Authenticate: Bearer} without a valid token. Every signed-in role may read; what a
 * role may change is checked by the services, the same checks as the UI's.
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

  /** The API's chain, ahead of the UI's. */
  @Bean
  @Order(1)
  SecurityFilterChain apiFilterChain(HttpSecurity http, ApiTokens tokens) throws Exception {
    ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint();
    http.securityMatcher(API)
        .authorizeHttpRequests(
            a -> a.requestMatchers(OPENAPI).permitAll().anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(
            c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .requestCache(AbstractHttpConfigurer::disable)
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .exceptionHandling(
            e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(entryPoint))
        .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class);
    return http.build();
  }

  /** Where the REST API lives. */
  public static final String API = "/api/**";

  /** The API's description, readable without a token (it holds no data). */
  public static final String OPENAPI = "/api/v1/openapi.json";

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
