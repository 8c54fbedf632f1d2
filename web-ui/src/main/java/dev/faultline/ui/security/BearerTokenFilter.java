package dev.faultline.ui.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <token>} on API requests and, when the token is valid, makes
 * its user (an {@link Actor}, with the user's role as {@code ROLE_...}) the request's principal.
 * Nothing else authenticates an API request: no session, no cookie, no password.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

  private static final String BEARER = "bearer ";

  private final ApiTokens tokens;

  BearerTokenFilter(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      Optional<Actor> actor = tokens.authenticate(header.substring(BEARER.length()).strip());
      if (actor.isPresent()) {
        Actor a = actor.get();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                a, null, List.of(new SimpleGrantedAuthority("ROLE_" + a.role().name()))));
        SecurityContextHolder.setContext(context);
      } else {
        request.setAttribute(ApiAuthenticationEntryPoint.INVALID_TOKEN, Boolean.TRUE);
      }
    }
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
