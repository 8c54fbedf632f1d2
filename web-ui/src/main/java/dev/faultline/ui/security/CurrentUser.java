package dev.faultline.ui.security;

import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.faultline.storage.settings.User;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/** The signed-in user as an {@link Actor}, for views to hand to services. */
@Component
public class CurrentUser {

  private final AuthenticationContext auth;

  public CurrentUser(AuthenticationContext auth) {
    this.auth = auth;
  }

  /** The signed-in actor; views are never shown to anonymous users, so one is always there. */
  public Actor actor() {
    String name = auth.getPrincipalName().orElseThrow();
    User.Role role =
        auth.getAuthenticatedUser(org.springframework.security.core.userdetails.UserDetails.class)
            .map(u -> u.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList())
            .map(
                roles ->
                    roles.contains("ROLE_ADMIN")
                        ? User.Role.ADMIN
                        : roles.contains("ROLE_SRE") ? User.Role.SRE : User.Role.MANAGER)
            .orElse(User.Role.MANAGER);
    return new Actor(name, role);
  }

  /** Signs out and returns to the login page. */
  public void logout() {
    auth.logout();
  }
}
