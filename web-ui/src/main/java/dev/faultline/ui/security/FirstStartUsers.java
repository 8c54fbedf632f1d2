package dev.faultline.ui.security;

import dev.faultline.storage.settings.User;
import dev.faultline.storage.settings.UserRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * generated and written once to a password file that only the owner can read ({@code rw-------});
 * it is never printed or logged, and only its bcrypt hash is stored. The log names the file.
 *
 * <p>The file is {@code FAULTLINE_PASSWORD_FILE} from the environment, else {@link #DEFAULT_FILE}
 * under the working directory.
 */
public final class FirstStartUsers {

  private static final Logger LOG = LoggerFactory.getLogger(FirstStartUsers.class);

  /** The users every installation starts with, and their roles. */
  public static final Map<String, User.Role> DEFAULT_USERS =
      Map.of("admin", User.Role.ADMIN, "sre", User.Role.SRE, "manager", User.Role.MANAGER);

  /** Where generated passwords go unless {@code FAULTLINE_PASSWORD_FILE} says otherwise. */
  public static final Path DEFAULT_FILE = Path.of(".faultline", "initial-passwords.txt");

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
   * Creates the missing default users, writing generated passwords to the password file.
   *
   * @return the users created with a generated password, name to the password file's absolute path
   *     (never the password)
   */
  public Map<String, String> ensure(Map<String, String> configured, Map<String, String> env) {
    String file = env.get("FAULTLINE_PASSWORD_FILE");
    return ensure(configured, env, file == null || file.isBlank() ? DEFAULT_FILE : Path.of(file));
  }

  /**
   * Creates the missing default users; generated passwords go to {@code passwordFile}, replaced
   * whole (a new file, owner-only, moved into place).
   *
   * @return the users created with a generated password, name to the file's absolute path
   */
  public Map<String, String> ensure(
      Map<String, String> configured, Map<String, String> env, Path passwordFile) {
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
      } else if (PasswordPolicy.problem(password) != null) {
        // The operator's choice stands; say it is weak without saying what it is.
        LOG.warn(
            "the configured password of {} {}; change it on the Account page",
            name,
            PasswordPolicy.problem(password));
      }
      users.save(
          new User(name, DEFAULT_USERS.get(name), encoder.encode(password), clock.instant()));
      LOG.info("created user {} ({})", name, DEFAULT_USERS.get(name));
    }
    if (generated.isEmpty()) {
      return Map.of();
    }
    Path written = write(passwordFile.toAbsolutePath(), generated);
    LOG.info(
        "one-time passwords of {} written to {} (readable by its owner only)",
        String.join(", ", generated.keySet()),
        written);
    Map<String, String> where = new LinkedHashMap<>();
    generated.keySet().forEach(n -> where.put(n, written.toString()));
    return java.util.Collections.unmodifiableMap(where);
  }

  private static Path write(Path file, Map<String, String> passwords) {
    StringBuilder text =
        new StringBuilder(
            "# Faultline web UI: one-time passwords of the users created at first start.\n"
                + "# Sign in, change each on the Account page, then delete this file.\n");
    passwords.forEach((n, p) -> text.append(n).append(' ').append(p).append('\n'));
    try {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      Path tmp;
      try {
        tmp =
            Files.createTempFile(
                dir,
                ".passwords",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the platform's default ACL of a new file (its owner's).
        tmp = Files.createTempFile(dir, ".passwords", ".tmp");
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return Files.move(
          tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the password file " + file, e);
    }
  }

  private String oneTimePassword() {
    byte[] bytes = new byte[15];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
