package dev.faultline.ui.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The API's answers when a request has no valid token (401 with {@code WWW-Authenticate: Bearer},
 * RFC 6750) or its role does not suffice (403), both as the API's JSON error.
 */
final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

  /** Request attribute set when a bearer token was presented but not accepted. */
  static final String INVALID_TOKEN = ApiAuthenticationEntryPoint.class.getName() + ".invalid";

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean invalid = request.getAttribute(INVALID_TOKEN) != null;
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        invalid
            ? "Bearer realm=\"faultline\", error=\"invalid_token\""
            : "Bearer realm=\"faultline\"");
    write(
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        invalid
            ? "the bearer token is unknown or revoked"
            : "an API token is required: Authorization: Bearer <token>");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, HttpServletResponse.SC_FORBIDDEN, "your role may not do this");
  }

  private static void write(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    // Fixed messages only, so no escaping is needed.
    response.getWriter().write("{\"error\":\"" + message + "\",\"field\":null}");
  }
}
