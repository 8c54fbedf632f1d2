package dev.faultline.ui;

import dev.faultline.storage.Storage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code GET /healthz} (the process serves HTTP) and {@code GET /readyz} (and its database answers)
 * for Compose health checks and Kubernetes probes. It runs ahead of Spring Security and Vaadin, so
 * a probe needs no session and creates none.
 */
public final class HealthProbes extends OncePerRequestFilter {

  /** Liveness path. */
  public static final String LIVE = "/healthz";

  /** Readiness path. */
  public static final String READY = "/readyz";

  private static final int DATABASE_TIMEOUT_S = 2;

  private final Storage storage;

  public HealthProbes(Storage storage) {
    this.storage = storage;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    if (LIVE.equals(path)) {
      answer(response, 200, "ok");
    } else if (READY.equals(path)) {
      String problem = databaseProblem();
      answer(response, problem == null ? 200 : 503, problem == null ? "ready" : problem);
    } else {
      chain.doFilter(request, response);
    }
  }

  /** Null when the database answers, else what is wrong. */
  private String databaseProblem() {
    try (Connection c = storage.dataSource().getConnection()) {
      return c.isValid(DATABASE_TIMEOUT_S) ? null : "database: connection not valid";
    } catch (SQLException e) {
      return "database: " + e.getMessage();
    }
  }

  private static void answer(HttpServletResponse response, int status, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.getOutputStream().write((body + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
