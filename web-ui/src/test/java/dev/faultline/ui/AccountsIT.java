package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faultline.storage.Storage;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.account.AccountService;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.FirstStartUsers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * First-start users, password change and time-zone choice against the real PostgreSQL (a fresh
 * database): generated passwords reach only an owner-only file, never stdout or the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsIT {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
  private Storage storage;

  @BeforeAll
  void open() throws Exception {
    storage = Storage.open(SeedOutage.freshDatabase("webui_accounts"), CLOCK);
  }

  @AfterAll
  void close() {
    storage.close();
  }

  @Test
  void firstStartWritesGeneratedPasswordsToAnOwnerOnlyFileAndNeverPrintsThem(@TempDir Path dir)
      throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    Path file = dir.resolve("secrets").resolve("initial-passwords.txt");
    Map<String, String> created;
    try {
      created =
          new FirstStartUsers(storage.users(), CLOCK, encoder)
              .ensure(Map.of("manager", "configured-manager-pw"), Map.of(), file);
    } finally {
      System.setOut(stdout);
      root.detachAppender(log);
    }
    assertEquals(List.of("admin", "sre"), List.copyOf(created.keySet()));
    created.values().forEach(v -> assertEquals(file.toAbsolutePath().toString(), v));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Map<String, String> passwords = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] parts = line.split(" ");
        passwords.put(parts[0], parts[1]);
      }
    }
    assertEquals(java.util.Set.of("admin", "sre"), passwords.keySet());
    for (var e : passwords.entrySet()) {
      User u = storage.users().find(e.getKey()).orElseThrow();
      assertTrue(encoder.matches(e.getValue(), u.passwordHash()), e.getKey());
      assertTrue(e.getValue().length() >= 12);
    }
    assertTrue(
        encoder.matches(
            "configured-manager-pw", storage.users().find("manager").orElseThrow().passwordHash()));
    String everything =
        printed.toString(StandardCharsets.UTF_8)
            + String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    for (String pw : passwords.values()) {
      assertFalse(everything.contains(pw), "a password reached stdout or the log");
    }
    assertFalse(everything.contains("configured-manager-pw"));
    assertTrue(everything.contains(file.toAbsolutePath().toString()), "the log names the file");
    // A second start creates nothing and leaves the file alone.
    assertTrue(
        new FirstStartUsers(storage.users(), CLOCK, encoder)
            .ensure(Map.of(), Map.of(), file)
            .isEmpty());
  }

  @Test
  void aUserChangesTheirPasswordOnlyWithTheCurrentOneAndALongEnoughNewOne() {
    storage
        .users()
        .save(
            new User(
                "carol", User.Role.MANAGER, encoder.encode("carol-old-password"), CLOCK.instant()));
    AccountService accounts = new AccountService(storage, encoder, CLOCK);
    Actor carol = new Actor("carol", User.Role.MANAGER);
    assertEquals(
        "current password: does not match",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    accounts.changePassword(
                        carol, "wrong", "a-long-new-password", "a-long-new-password"))
            .getMessage());
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> accounts.changePassword(carol, "carol-old-password", "short-pw", "short-pw"));
    assertEquals("new password: must have at least 12 characters", tooShort.getMessage());
    assertEquals(
        "repeat: does not match the new password",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    accounts.changePassword(
                        carol, "carol-old-password", "a-long-new-password", "a-long-new-passwrd"))
            .getMessage());
    assertTrue(
        encoder.matches(
            "carol-old-password", storage.users().find("carol").orElseThrow().passwordHash()),
        "nothing changed after refusals");
    accounts.changePassword(
        carol, "carol-old-password", "a-long-new-password", "a-long-new-password");
    User after = storage.users().find("carol").orElseThrow();
    assertTrue(encoder.matches("a-long-new-password", after.passwordHash()));
    assertEquals(User.Role.MANAGER, after.role());
  }

  @Test
  void eachUserKeepsTheirOwnTimeZone() {
    storage
        .users()
        .save(new User("dave", User.Role.SRE, encoder.encode("dave-password-1"), CLOCK.instant()));
    AccountService accounts = new AccountService(storage, encoder, CLOCK);
    Actor dave = new Actor("dave", User.Role.SRE);
    assertEquals(Optional.empty(), accounts.chosenZone(dave));
    accounts.chooseZone(dave, "Asia/Kolkata");
    assertEquals(Optional.of(ZoneId.of("Asia/Kolkata")), accounts.chosenZone(dave));
    assertEquals(
        "time zone: not a known zone name",
        assertThrows(
                IllegalArgumentException.class, () -> accounts.chooseZone(dave, "Mars/Olympus"))
            .getMessage());
    accounts.chooseZone(dave, null);
    assertEquals(Optional.empty(), accounts.chosenZone(dave));
  }
}
