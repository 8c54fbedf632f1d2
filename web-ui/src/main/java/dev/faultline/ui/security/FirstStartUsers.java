package dev.faultline.ui.security;

import dev.faultline.storage.settings.User;
import dev.faultline.storage.settings.UserRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Creates {@code admin}, {@code sre} and {@code manager} when they do not exist. A password comes
 * from the config, else from {@code FAULTLINE_<NAME>_PASSWORD} in the environment, else it is
 * generated and printed once (it is never stored, only its bcrypt hash).
 */
public final class FirstStartUsers {

  private static final Logger LOG = LoggerFactory.getLogger(FirstStartUsers.class);

  /** The users every installation starts with, and their roles. */
  public static final Map<String, User.Role> DEFAULT_USERS =
      Map.of("admin", User.Role.ADMIN, "sre", User.Role.SRE, "manager", User.Role.MANAGER);

  private final UserRepository users;
  private final Clock clock;
  private final PasswordEncoder encoder;
  private final SecureRandom random = new SecureRandom();

  public FirstStartUsers(UserRepository users, Clock clock) {
    this(users, clock, new BCryptPasswordEncoder());
  }

  public FirstStartUsers(UserRepository users, Clock clock, PasswordEncoder encoder) {
    this.users = users;
    this.clock = clock;
    this.encoder = encoder;
  }

  /**
   * Creates the missing default users.
   *
   * @return the users created with a generated password, name to password
   */
  public Map<String, String> ensure(Map<String, String> configured, Map<String, String> env) {
    Map<String, String> generated = new LinkedHashMap<>();
    for (String name : new String[] {"admin", "sre", "manager"}) {
      if (users.find(name).isPresent()) {
        continue;
      }
      String password = configured.get(name);
      if (password == null) {
        password = env.get("FAULTLINE_" + name.toUpperCase(Locale.ROOT) + "_PASSWORD");
      }
      if (password == null || password.isBlank()) {
        password = oneTimePassword();
        generated.put(name, password);
        // Printed once on purpose: only the hash is kept, so this is the one chance to read it.
        System.out.println(
            "faultline web-ui: created user '" + name + "' with password: " + password);
      }
      users.save(
          new User(name, DEFAULT_USERS.get(name), encoder.encode(password), clock.instant()));
      LOG.info("created user {} ({})", name, DEFAULT_USERS.get(name));
    }
    return Map.copyOf(generated);
  }

  private String oneTimePassword() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
