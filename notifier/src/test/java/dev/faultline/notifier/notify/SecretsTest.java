package dev.faultline.notifier.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretsTest {

  private final Map<String, String> env =
      Map.of(
          "FAULTLINE_JDBC_PASSWORD", "db-password",
          "FAULTLINE_SECRET_PD", "routing-key-0123456789");

  @Test
  void onlyVariablesWithThePrefixCanBeNamed() {
    Secrets s = Secrets.prefixed(Secrets.DEFAULT_PREFIX, env::get);
    assertEquals(Optional.of("routing-key-0123456789"), s.lookup("FAULTLINE_SECRET_PD"));
    assertFalse(s.allows("FAULTLINE_JDBC_PASSWORD"));
    assertEquals(Optional.empty(), s.lookup("FAULTLINE_JDBC_PASSWORD"), "never read");
    assertFalse(s.allows("FAULTLINE_SECRET_"), "the prefix alone names nothing");
    assertTrue(s.rule().contains("FAULTLINE_SECRET_"));
  }

  @Test
  void theEnvironmentDefaultUsesTheDefaultPrefix() {
    Secrets s = Secrets.environment();
    assertFalse(s.allows("PATH"));
    assertEquals(Optional.empty(), s.lookup("PATH"));
    assertTrue(s.allows("FAULTLINE_SECRET_X"));
  }
}
